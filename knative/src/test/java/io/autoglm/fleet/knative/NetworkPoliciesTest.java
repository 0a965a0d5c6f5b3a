package io.autoglm.fleet.knative;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.autoglm.fleet.triggers.knative.TriggerObjects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The NetworkPolicies as rendered for each overlay: valid objects, and selectors that match the pods they
 * are about. Only the dispatcher (and the Knative Serving data plane that carries its requests) reaches the
 * functions; every event source reaches the sink.
 */
class NetworkPoliciesTest {

    private static final Path KNATIVE = Path.of(System.getProperty("knative.dir", "."));
    private static final CrdSchemas SCHEMAS = CrdSchemas.load(KNATIVE.resolve("schemas"));
    private static final String KNATIVE_SERVICE_LABEL = "serving.knative.dev/service";

    private static List<JsonNode> rendered(String overlay) {
        return Kustomize.renderedOrSkip(KNATIVE.resolve("overlays").resolve(overlay));
    }

    private static List<JsonNode> ofKind(List<JsonNode> objects, String kind) {
        return Kustomize.ofKind(objects, kind);
    }

    private static JsonNode policy(List<JsonNode> objects, String name) {
        return ofKind(objects, "NetworkPolicy").stream().filter(o -> o.path("metadata").path("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no NetworkPolicy " + name));
    }

    /** A Knative Service's pods: its template's labels plus those Knative Serving puts on every pod of its revisions. */
    private static Map<String, String> podLabels(JsonNode knativeService) {
        Map<String, String> labels = labels(knativeService.path("spec").path("template").path("metadata").path("labels"));
        String name = knativeService.path("metadata").path("name").asText();
        labels.put(KNATIVE_SERVICE_LABEL, name);
        labels.put("serving.knative.dev/configuration", name);
        return labels;
    }

    private static Map<String, String> labels(JsonNode node) {
        Map<String, String> labels = new HashMap<>();
        node.fields().forEachRemaining(field -> labels.put(field.getKey(), field.getValue().asText()));
        return labels;
    }

    /** Whether a label selector selects a pod with {@code labels}, as the API server evaluates it. */
    static boolean selects(JsonNode selector, Map<String, String> labels) {
        for (Iterator<Map.Entry<String, JsonNode>> required = selector.path("matchLabels").fields(); required.hasNext(); ) {
            Map.Entry<String, JsonNode> label = required.next();
            if (!label.getValue().asText().equals(labels.get(label.getKey()))) {
                return false;
            }
        }
        for (JsonNode expression : selector.path("matchExpressions")) {
            String value = labels.get(expression.path("key").asText());
            Set<String> values = StreamSupport.stream(expression.path("values").spliterator(), false).map(JsonNode::asText)
                    .collect(Collectors.toSet());
            boolean matches = switch (expression.path("operator").asText()) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> throw new AssertionError("unknown operator in " + expression);
            };
            if (!matches) {
                return false;
            }
        }
        return true;
    }

    private static List<JsonNode> knativeServices(List<JsonNode> objects) {
        return ofKind(objects, "Service").stream().filter(o -> o.path("apiVersion").asText().startsWith("serving.knative.dev/")).toList();
    }

    private static Set<String> subscribers(List<JsonNode> objects) {
        String yaml = objects.stream().map(JsonNode::toString).collect(Collectors.joining("\n---\n"));
        return new TriggerObjects("default", Optional.of("fleet")).parse(Map.of("rendered", yaml)).stream()
                .map(trigger -> trigger.subscriber().ref().orElseThrow().name()).collect(Collectors.toSet());
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "dev", "gpu"})
    void everyNetworkPolicyOfEveryOverlayIsAValidObject(String overlay) {
        List<JsonNode> policies = ofKind(rendered(overlay), "NetworkPolicy");

        assertThat(policies).extracting(p -> p.path("metadata").path("name").asText()).containsExactlyInAnyOrder("fleet-functions",
                "fleet-ingress-sink");
        List<String> violations = new ArrayList<>();
        for (JsonNode policy : policies) {
            SCHEMAS.violations(policy).forEach(v -> violations.add(overlay + ": " + policy.path("metadata").path("name").asText() + ": " + v));
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void theSchemaCatchesMisspeltFieldsAndUnknownOperators() {
        ObjectNode policy = policy(rendered("dev"), "fleet-functions").deepCopy();
        ((ObjectNode) policy.path("spec")).set("podSelektor", policy.path("spec").path("podSelector"));
        ((ObjectNode) policy.path("spec").path("podSelector").path("matchExpressions").get(0)).put("operator", "Equals");

        assertThat(SCHEMAS.violations(policy)).anySatisfy(v -> assertThat(v).contains("podSelektor"))
                .anySatisfy(v -> assertThat(v).contains("operator"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "dev", "gpu"})
    void theFunctionsPolicyIsolatesThePodsOfEveryFunctionAndNotTheSink(String overlay) {
        List<JsonNode> objects = rendered(overlay);
        JsonNode selector = policy(objects, "fleet-functions").path("spec").path("podSelector");
        Set<String> functions = subscribers(objects);

        Set<String> selected = knativeServices(objects).stream().filter(service -> selects(selector, podLabels(service)))
                .map(service -> service.path("metadata").path("name").asText()).collect(Collectors.toSet());

        assertThat(functions).containsExactlyInAnyOrder("registry", "heartbeat", "router", "commands", "agent", "inference");
        assertThat(selected).isEqualTo(functions);
        JsonNode dispatcher = ofKind(objects, "Deployment").stream()
                .filter(d -> d.path("metadata").path("name").asText().equals("trigger-dispatcher")).findFirst().orElseThrow();
        assertThat(selects(selector, labels(dispatcher.path("spec").path("template").path("metadata").path("labels")))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "dev", "gpu"})
    void onlyTheDispatcherPodsAndKnativeServingsDataPlaneMayReachTheFunctions(String overlay) {
        List<JsonNode> objects = rendered(overlay);
        JsonNode spec = policy(objects, "fleet-functions").path("spec");
        JsonNode dispatcher = ofKind(objects, "Deployment").stream()
                .filter(d -> d.path("metadata").path("name").asText().equals("trigger-dispatcher")).findFirst().orElseThrow();
        Map<String, String> dispatcherPods = labels(dispatcher.path("spec").path("template").path("metadata").path("labels"));

        assertThat(spec.path("policyTypes")).extracting(JsonNode::asText).containsExactly("Ingress");
        List<JsonNode> peers = new ArrayList<>();
        for (JsonNode rule : spec.path("ingress")) {
            assertThat(rule.path("from").isEmpty()).as("a rule without peers admits everyone: %s", rule).isFalse();
            rule.path("from").forEach(peers::add);
        }
        // in the policy's namespace (no namespaceSelector): the dispatcher's pods and nothing else of the namespace
        List<JsonNode> local = peers.stream().filter(peer -> peer.path("namespaceSelector").isMissingNode()).toList();
        assertThat(local).singleElement().satisfies(peer -> {
            assertThat(peer.has("ipBlock")).isFalse();
            assertThat(selects(peer.path("podSelector"), dispatcherPods)).as("the dispatcher's pods %s", dispatcherPods).isTrue();
            for (JsonNode service : knativeServices(objects)) {
                assertThat(selects(peer.path("podSelector"), podLabels(service))).as("pods of %s", service.path("metadata").path("name"))
                        .isFalse();
            }
        });
        // elsewhere: only Knative Serving's activator and autoscaler and the networking layer's gateway, each to the queue-proxy's ports
        for (JsonNode rule : spec.path("ingress")) {
            boolean fromOtherNamespaces = StreamSupport.stream(rule.path("from").spliterator(), false).anyMatch(p -> p.has("namespaceSelector"));
            if (!fromOtherNamespaces) {
                continue;
            }
            assertThat(rule.path("ports")).as("ports of %s", rule).isNotEmpty()
                    .allSatisfy(port -> assertThat(port.path("port").asInt()).isIn(8012, 8013, 9090));
            for (JsonNode peer : rule.path("from")) {
                assertThat(peer.path("namespaceSelector").path("matchLabels").path("kubernetes.io/metadata.name").asText())
                        .isIn("knative-serving", "kourier-system");
                assertThat(peer.path("podSelector").path("matchLabels").path("app").asText())
                        .isIn("activator", "autoscaler", "3scale-kourier-gateway");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "dev", "gpu"})
    void everyEventSourceMayReachTheSinkAndTheFunctionsHaveNoExternalRoute(String overlay) {
        List<JsonNode> objects = rendered(overlay);
        JsonNode sinkPolicy = policy(objects, "fleet-ingress-sink").path("spec");
        JsonNode sink = knativeServices(objects).stream().filter(s -> s.path("metadata").path("name").asText().equals("ingress-sink"))
                .findFirst().orElseThrow();

        assertThat(selects(sinkPolicy.path("podSelector"), podLabels(sink))).isTrue();
        assertThat(sinkPolicy.path("ingress")).singleElement().satisfies(rule -> assertThat(rule.isEmpty()).as("allows all").isTrue());
        Set<String> functions = subscribers(objects);
        for (JsonNode service : knativeServices(objects)) {
            String name = service.path("metadata").path("name").asText();
            String visibility = service.path("metadata").path("labels").path("networking.knative.dev/visibility").asText(null);
            assertThat(visibility).as("visibility of %s", name).isEqualTo(functions.contains(name) ? "cluster-local" : null);
        }
    }
}
