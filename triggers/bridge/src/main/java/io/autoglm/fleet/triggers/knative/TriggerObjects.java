package io.autoglm.fleet.triggers.knative;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.autoglm.fleet.events.EventFamily;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads Knative {@code eventing.knative.dev/v1} Trigger objects from YAML: the files of
 * {@code knative/}, {@code kubectl kustomize} output, or a mounted ConfigMap. Other kinds in the same
 * documents are skipped, so a whole rendered overlay can be given. Every problem of every Trigger is
 * collected and reported at once ({@link InvalidTriggersException}), with the Trigger and field named.
 */
public final class TriggerObjects {

    private static final String API_VERSION = "eventing.knative.dev/v1";
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[a-z][a-z0-9]*");
    private static final List<String> DIALECTS = List.of("exact", "prefix", "suffix", "all", "any", "not", "cesql");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final String defaultNamespace;
    private final Optional<String> broker;

    /**
     * @param defaultNamespace the namespace of Triggers that do not name one
     * @param broker           when present, only Triggers of this broker are read; the others are skipped
     */
    public TriggerObjects(String defaultNamespace, Optional<String> broker) {
        this.defaultNamespace = Objects.requireNonNull(defaultNamespace, "defaultNamespace");
        this.broker = Objects.requireNonNull(broker, "broker");
    }

    /** Reads a YAML file, or every {@code *.yaml}/{@code *.yml} file of a directory (sorted by name). */
    public List<Trigger> read(Path fileOrDirectory) {
        List<Path> files;
        try {
            if (Files.isDirectory(fileOrDirectory)) {
                try (Stream<Path> listing = Files.list(fileOrDirectory)) {
                    files = listing.filter(file -> file.getFileName().toString().matches("[^.].*\\.ya?ml"))
                            .sorted().toList();
                }
            } else {
                files = List.of(fileOrDirectory);
            }
            Map<String, String> sources = new LinkedHashMap<>();
            for (Path file : files) {
                sources.put(file.toString(), Files.readString(file));
            }
            return parse(sources);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the Trigger objects in " + fileOrDirectory, e);
        }
    }

    /** Reads the Triggers of YAML texts (each possibly several documents), keyed by where they came from. */
    public List<Trigger> parse(Map<String, String> sources) {
        List<Trigger> triggers = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, String> seen = new LinkedHashMap<>();
        sources.forEach((source, yaml) -> {
            List<JsonNode> documents = new ArrayList<>();
            try (var parser = YAML.getFactory().createParser(yaml)) {
                Iterator<JsonNode> values = YAML.readValues(parser, JsonNode.class);
                values.forEachRemaining(documents::add);
            } catch (IOException | RuntimeException e) {
                problems.add(source + ": not valid YAML: " + e.getMessage());
                return;
            }
            for (JsonNode document : documents) {
                for (JsonNode object : objects(document)) {
                    if (!API_VERSION.equals(object.path("apiVersion").asText()) || !"Trigger".equals(object.path("kind").asText())) {
                        continue;
                    }
                    Reading reading = new Reading(source, object);
                    Optional<Trigger> trigger = reading.trigger();
                    problems.addAll(reading.problems);
                    trigger.filter(t -> broker.isEmpty() || broker.get().equals(t.broker())).ifPresent(t -> {
                        String previous = seen.putIfAbsent(t.id(), source);
                        if (previous != null) {
                            problems.add(source + ": Trigger " + t.id() + " is defined twice (also in " + previous + ")");
                        } else {
                            triggers.add(t);
                        }
                    });
                }
            }
        });
        if (!problems.isEmpty()) {
            throw new InvalidTriggersException(problems);
        }
        return triggers;
    }

    private static List<JsonNode> objects(JsonNode document) {
        if (document == null || !document.isObject()) {
            return List.of();
        }
        if ("List".equals(document.path("kind").asText()) && document.path("items").isArray()) {
            List<JsonNode> items = new ArrayList<>();
            document.path("items").forEach(items::add);
            return items;
        }
        return List.of(document);
    }

    /** One Trigger object being read, collecting its problems. */
    private final class Reading {
        private final String source;
        private final JsonNode object;
        private final List<String> problems = new ArrayList<>();
        private String id;

        Reading(String source, JsonNode object) {
            this.source = source;
            this.object = object;
        }

        Optional<Trigger> trigger() {
            String name = object.path("metadata").path("name").asText("");
            String namespace = object.path("metadata").path("namespace").asText(defaultNamespace);
            id = namespace + "/" + (name.isEmpty() ? "<unnamed>" : name);
            if (name.isEmpty()) {
                problem("metadata.name", "is required");
            }
            JsonNode spec = object.path("spec");
            String brokerName = spec.path("broker").asText(spec.path("brokerRef").path("name").asText(""));
            if (brokerName.isEmpty()) {
                problem("spec.broker", "is required (or spec.brokerRef.name)");
            }
            EventFilter filter = filter(spec);
            Optional<Destination> subscriber = spec.has("subscriber")
                    ? destination(spec.get("subscriber"), "spec.subscriber", namespace)
                    : required("spec.subscriber");
            DeliverySpec delivery = delivery(spec.path("delivery"), namespace);
            Set<EventFamily> families = families(filter);
            if (!problems.isEmpty() || subscriber.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Trigger(namespace, name, brokerName, filter, subscriber.get(), delivery, families));
        }

        private EventFilter filter(JsonNode spec) {
            JsonNode filters = spec.path("filters");
            if (!filters.isMissingNode() && !filters.isNull()) {
                if (!filters.isArray()) {
                    problem("spec.filters", "must be a list of filter expressions");
                    return new EventFilter.MatchAll();
                }
                if (filters.isEmpty()) {
                    return new EventFilter.MatchAll();
                }
                // Knative: when both are given, spec.filters overrides spec.filter
                return new EventFilter.All(expressions(filters, "spec.filters"));
            }
            JsonNode attributes = spec.path("filter").path("attributes");
            if (attributes.isMissingNode() || attributes.isNull() || attributes.isEmpty()) {
                return new EventFilter.MatchAll();
            }
            if (!attributes.isObject()) {
                problem("spec.filter.attributes", "must map attribute names to strings");
                return new EventFilter.MatchAll();
            }
            Map<String, String> exact = new LinkedHashMap<>();
            attributes.fields().forEachRemaining(entry -> {
                String field = "spec.filter.attributes." + entry.getKey();
                checkAttributeName(field, entry.getKey());
                if (!entry.getValue().isTextual()) {
                    problem(field, "must be a string, got " + entry.getValue());
                } else {
                    exact.put(entry.getKey(), entry.getValue().asText());
                }
            });
            return new EventFilter.Attributes(exact);
        }

        private List<EventFilter> expressions(JsonNode list, String field) {
            List<EventFilter> filters = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                expression(list.get(i), field + "[" + i + "]").ifPresent(filters::add);
            }
            return filters;
        }

        private Optional<EventFilter> expression(JsonNode node, String field) {
            if (!node.isObject()) {
                problem(field, "must be a filter expression (an object with one of " + String.join(", ", DIALECTS) + ")");
                return Optional.empty();
            }
            List<String> dialects = new ArrayList<>();
            node.fieldNames().forEachRemaining(dialect -> {
                if (DIALECTS.contains(dialect)) {
                    dialects.add(dialect);
                } else {
                    problem(field + "." + dialect, "is not a filter dialect; use one of " + String.join(", ", DIALECTS));
                }
            });
            if (dialects.size() != 1) {
                if (dialects.size() > 1) {
                    problem(field, "sets " + String.join(" and ", dialects) + ": a filter expression has exactly one dialect");
                } else if (node.isEmpty()) {
                    problem(field, "is empty: a filter expression has exactly one dialect (" + String.join(", ", DIALECTS) + ")");
                }
                return Optional.empty();
            }
            String dialect = dialects.get(0);
            JsonNode value = node.get(dialect);
            String path = field + "." + dialect;
            switch (dialect) {
                case "exact":
                case "prefix":
                case "suffix":
                    return singleAttribute(value, path).map(entry -> switch (dialect) {
                        case "exact" -> new EventFilter.Exact(entry.getKey(), entry.getValue());
                        case "prefix" -> new EventFilter.Prefix(entry.getKey(), entry.getValue());
                        default -> new EventFilter.Suffix(entry.getKey(), entry.getValue());
                    });
                case "all":
                case "any":
                    if (!value.isArray() || value.isEmpty()) {
                        problem(path, "must be a non-empty list of filter expressions");
                        return Optional.empty();
                    }
                    List<EventFilter> nested = expressions(value, path);
                    return Optional.of(dialect.equals("all") ? new EventFilter.All(nested) : new EventFilter.Any(nested));
                case "not":
                    return expression(value, path).map(EventFilter.Not::new);
                default:
                    problem(path, "CloudEvents SQL filters are not supported by this dispatcher; "
                            + "express the condition with exact, prefix, suffix, all, any and not");
                    return Optional.empty();
            }
        }

        private Optional<Map.Entry<String, String>> singleAttribute(JsonNode value, String field) {
            if (!value.isObject() || value.size() != 1) {
                problem(field, "must name exactly one attribute and its value, got " + (value.isObject() ? value.size() + " attributes" : value));
                return Optional.empty();
            }
            Map.Entry<String, JsonNode> entry = value.fields().next();
            String attributeField = field + "." + entry.getKey();
            checkAttributeName(attributeField, entry.getKey());
            if (!entry.getValue().isTextual() || entry.getValue().asText().isEmpty()) {
                problem(attributeField, "must be a non-empty string, got " + entry.getValue());
                return Optional.empty();
            }
            return Optional.of(Map.entry(entry.getKey(), entry.getValue().asText()));
        }

        private void checkAttributeName(String field, String name) {
            if (!ATTRIBUTE_NAME.matcher(name).matches()) {
                problem(field, "is not a CloudEvents attribute name: lowercase letters and digits, starting with a letter");
            }
        }

        private Optional<Destination> destination(JsonNode node, String field, String namespace) {
            if (!node.isObject()) {
                problem(field, "must have a ref and/or a uri");
                return Optional.empty();
            }
            Optional<Destination.Reference> ref = Optional.empty();
            JsonNode refNode = node.path("ref");
            if (refNode.isObject()) {
                String kind = refNode.path("kind").asText("");
                String refName = refNode.path("name").asText("");
                if (kind.isEmpty()) {
                    problem(field + ".ref.kind", "is required");
                }
                if (refName.isEmpty()) {
                    problem(field + ".ref.name", "is required");
                }
                if (kind.isEmpty() || refName.isEmpty()) {
                    return Optional.empty();
                }
                ref = Optional.of(new Destination.Reference(refNode.path("apiVersion").asText(""), kind, refName,
                        refNode.path("namespace").asText(namespace)));
            }
            Optional<URI> uri = Optional.empty();
            if (node.hasNonNull("uri")) {
                try {
                    uri = Optional.of(new URI(node.get("uri").asText()));
                } catch (URISyntaxException e) {
                    problem(field + ".uri", "is not a URI: " + e.getMessage());
                    return Optional.empty();
                }
            }
            if (ref.isEmpty() && uri.isEmpty()) {
                problem(field, "needs a ref or a uri");
                return Optional.empty();
            }
            if (ref.isEmpty() && !(uri.get().isAbsolute() && uri.get().getHost() != null)) {
                problem(field + ".uri", "must be an absolute URL when there is no ref, got '" + uri.get() + "'");
                return Optional.empty();
            }
            return Optional.of(new Destination(ref, uri));
        }

        private DeliverySpec delivery(JsonNode node, String namespace) {
            if (node.isMissingNode() || node.isNull()) {
                return DeliverySpec.DEFAULT;
            }
            int retry = DeliverySpec.DEFAULT.retry();
            if (node.has("retry")) {
                if (!node.get("retry").canConvertToInt() || !node.get("retry").isIntegralNumber() || node.get("retry").asInt() < 0) {
                    problem("spec.delivery.retry", "must be a whole number >= 0, got " + node.get("retry"));
                } else {
                    retry = node.get("retry").asInt();
                }
            }
            BackoffPolicy policy = DeliverySpec.DEFAULT.backoffPolicy();
            if (node.hasNonNull("backoffPolicy")) {
                String text = node.get("backoffPolicy").asText();
                try {
                    policy = BackoffPolicy.valueOf(text.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    problem("spec.delivery.backoffPolicy", "must be linear or exponential, got '" + text + "'");
                }
            }
            Duration delay = duration(node, "backoffDelay").orElse(DeliverySpec.DEFAULT.backoffDelay());
            Optional<Duration> timeout = duration(node, "timeout");
            if (node.hasNonNull("format") && !"binary".equals(node.get("format").asText())) {
                problem("spec.delivery.format", "must be binary (or unset): the dispatcher delivers in binary mode, got '"
                        + node.get("format").asText() + "'");
            }
            Optional<Destination> deadLetterSink = node.hasNonNull("deadLetterSink")
                    ? destination(node.get("deadLetterSink"), "spec.delivery.deadLetterSink", namespace)
                    : Optional.empty();
            return problems.isEmpty() ? new DeliverySpec(retry, policy, delay, timeout, deadLetterSink) : DeliverySpec.DEFAULT;
        }

        private Optional<Duration> duration(JsonNode delivery, String field) {
            if (!delivery.hasNonNull(field)) {
                return Optional.empty();
            }
            String text = delivery.get(field).asText();
            try {
                Duration duration = Duration.parse(text);
                if (duration.isNegative() || (field.equals("timeout") && duration.isZero())) {
                    problem("spec.delivery." + field, "must be a positive ISO-8601 duration, got '" + text + "'");
                    return Optional.empty();
                }
                return Optional.of(duration);
            } catch (DateTimeParseException e) {
                problem("spec.delivery." + field, "must be an ISO-8601 duration such as PT0.5S or PT2M, got '" + text + "'");
                return Optional.empty();
            }
        }

        private Set<EventFamily> families(EventFilter filter) {
            JsonNode annotation = object.path("metadata").path("annotations").path(TriggerTopics.FAMILIES_ANNOTATION);
            if (!annotation.isMissingNode()) {
                try {
                    return TriggerTopics.parseFamilies(annotation.asText());
                } catch (IllegalArgumentException e) {
                    problem("metadata.annotations." + TriggerTopics.FAMILIES_ANNOTATION, e.getMessage());
                    return Set.of();
                }
            }
            Set<EventFamily> families = TriggerTopics.familiesOf(filter);
            if (families.isEmpty() && problems.isEmpty()) {
                problem("spec.filters", "lets no event type of the catalogue through, so the Trigger would read no topic; "
                        + "fix the type filter or name the families in the annotation " + TriggerTopics.FAMILIES_ANNOTATION);
            }
            return families;
        }

        private <T> Optional<T> required(String field) {
            problem(field, "is required");
            return Optional.empty();
        }

        private void problem(String field, String message) {
            problems.add(source + ": Trigger " + id + ": " + field + " " + message);
        }
    }
}
