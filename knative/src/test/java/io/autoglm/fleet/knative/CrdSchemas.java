package io.autoglm.fleet.knative;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The {@code openAPIV3Schema} of each Knative CRD as a JSON Schema, with Kubernetes' structural-schema
 * rules made explicit: an object with declared {@code properties} accepts no other field unless it says
 * {@code x-kubernetes-preserve-unknown-fields}, {@code x-kubernetes-int-or-string} is an integer or a
 * string, {@code nullable} admits null. The {@code x-kubernetes-*} keywords are then removed.
 */
final class CrdSchemas {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Schemas by {@code apiVersion/kind}, e.g. {@code serving.knative.dev/v1/Service}. */
    private final Map<String, JsonSchema> schemas = new HashMap<>();

    private CrdSchemas() {
    }

    /** The CRDs (and CRD-shaped schemas of built-in kinds) in each of {@code directories}. */
    static CrdSchemas load(Path... directories) {
        CrdSchemas crds = new CrdSchemas();
        for (Path directory : directories) {
            crds.add(directory);
        }
        return crds;
    }

    private void add(Path directory) {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().build();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                JsonNode crd = YAML.readTree(file.toFile());
                if (!"CustomResourceDefinition".equals(crd.path("kind").asText())) {
                    continue;
                }
                String group = crd.path("spec").path("group").asText();
                String kind = crd.path("spec").path("names").path("kind").asText();
                for (JsonNode version : crd.path("spec").path("versions")) {
                    JsonNode schema = version.path("schema").path("openAPIV3Schema");
                    if (!schema.isMissingNode()) {
                        schemas.put(group + "/" + version.path("name").asText() + "/" + kind,
                                factory.getSchema(structural(schema), config));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the CRDs in " + directory, e);
        }
    }

    /** The schema for an object's {@code apiVersion} and {@code kind}, when a CRD defines one. */
    Optional<JsonSchema> forObject(JsonNode object) {
        return Optional.ofNullable(schemas.get(object.path("apiVersion").asText() + "/" + object.path("kind").asText()));
    }

    /** Every violation of its CRD's schema, as sentences; empty when the object is valid. */
    List<String> violations(JsonNode object) {
        JsonSchema schema = forObject(object).orElseThrow(() -> new IllegalArgumentException(
                "no CRD for " + object.path("apiVersion").asText() + " " + object.path("kind").asText()));
        List<String> violations = new ArrayList<>();
        for (ValidationMessage message : schema.validate(object)) {
            violations.add(message.getMessage());
        }
        return violations;
    }

    int size() {
        return schemas.size();
    }

    static JsonNode structural(JsonNode schema) {
        JsonNode copy = schema.deepCopy();
        if (copy instanceof ObjectNode node) {
            // every Kubernetes object has these, whether its CRD's schema lists them or not
            ObjectNode properties = node.has("properties") ? (ObjectNode) node.get("properties") : node.putObject("properties");
            for (String field : List.of("apiVersion", "kind")) {
                if (!properties.has(field)) {
                    properties.putObject(field).put("type", "string");
                }
            }
            if (!properties.has("metadata")) {
                properties.putObject("metadata").put("type", "object");
            }
            rewrite(node);
        }
        return copy;
    }

    private static void rewrite(ObjectNode node) {
        boolean preserveUnknown = node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        boolean embedded = node.path("x-kubernetes-embedded-resource").asBoolean(false);
        if (node.path("x-kubernetes-int-or-string").asBoolean(false)) {
            node.remove("type");
            ArrayNode anyOf = node.putArray("anyOf");
            anyOf.addObject().put("type", "integer");
            anyOf.addObject().put("type", "string");
        }
        if (node.path("nullable").asBoolean(false) && node.path("type").isTextual()) {
            String type = node.get("type").asText();
            node.putArray("type").add(type).add("null");
        }
        if (node.has("properties") && !preserveUnknown && !embedded && !node.has("additionalProperties")) {
            node.put("additionalProperties", false);
        }
        List<String> kubernetesKeywords = new ArrayList<>();
        node.fieldNames().forEachRemaining(name -> {
            if (name.startsWith("x-kubernetes-") || name.equals("nullable")) {
                kubernetesKeywords.add(name);
            }
        });
        kubernetesKeywords.forEach(node::remove);
        for (String nested : List.of("properties", "patternProperties")) {
            if (node.get(nested) instanceof ObjectNode properties) {
                for (Iterator<JsonNode> values = properties.elements(); values.hasNext(); ) {
                    if (values.next() instanceof ObjectNode property) {
                        rewrite(property);
                    }
                }
            }
        }
        for (String single : List.of("items", "additionalProperties", "not")) {
            if (node.get(single) instanceof ObjectNode child) {
                rewrite(child);
            }
        }
        for (String list : List.of("allOf", "anyOf", "oneOf")) {
            if (node.get(list) instanceof ArrayNode alternatives) {
                alternatives.forEach(alternative -> {
                    if (alternative instanceof ObjectNode object) {
                        rewrite(object);
                    }
                });
            }
        }
    }
}
