package io.autoglm.fleet.knative;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.autoglm.fleet.triggers.knative.Trigger;
import io.autoglm.fleet.triggers.knative.TriggerObjects;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The manifests as a cluster would get them: every overlay rendered by {@code kubectl kustomize},
 * every Knative object checked against its CRD's schema, the Triggers read by the dispatcher itself,
 * and the scaling and GPU settings each overlay promises.
 */
class KnativeManifestsTest {

    private static final Path KNATIVE = Path.of(System.getProperty("knative.dir", "."));
    private static final Set<String> KNATIVE_GROUPS = Set.of("serving.knative.dev", "eventing.knative.dev");
    private static CrdSchemas crds;

    @BeforeAll
    static void crds() throws IOException {
        Path shared = Path.of(System.getProperty("knative.crds.shared", "../shared/knative-crds"));
        Path copies = KNATIVE.resolve("crds");
        if (Files.isDirectory(shared)) {
            try (Stream<Path> files = Files.list(copies)) {
                for (Path copy : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                    assertThat(Files.readString(copy)).as("knative/crds/%s is a copy of %s", copy.getFileName(), shared)
                            .isEqualTo(Files.readString(shared.resolve(copy.getFileName())));
                }
            }
        }
        crds = CrdSchemas.load(Files.isDirectory(shared) ? shared : copies, KNATIVE.resolve("schemas"));
        assertThat(crds.size()).as("CRD versions loaded").isGreaterThanOrEqualTo(3);
    }

    private static List<JsonNode> rendered(String overlay) {
        return Kustomize.renderedOrSkip(KNATIVE.resolve("overlays").resolve(overlay));
    }

    private static List<JsonNode> ofKind(List<JsonNode> objects, String kind) {
        return Kustomize.ofKind(objects, kind);
    }

    private static JsonNode named(List<JsonNode> objects, String kind, String name) {
        return ofKind(objects, kind).stream().filter(o -> o.path("metadata").path("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static String annotation(JsonNode service, String name) {
        return service.path("spec").path("template").path("metadata").path("annotations").path(name).asText(null);
    }

    private static JsonNode container(JsonNode service) {
        return service.path("spec").path("template").path("spec").path("containers").get(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "dev", "gpu"})
    void everyKnativeObjectOfEveryOverlayValidatesAgainstItsCrd(String overlay) {
        List<JsonNode> knative = rendered(overlay).stream()
                .filter(o -> KNATIVE_GROUPS.contains(o.path("apiVersion").asText().split("/")[0])).toList();

        assertThat(knative).extracting(o -> o.path("kind").asText()).contains("Service", "Trigger", "Broker");
        List<String> violations = new ArrayList<>();
        for (JsonNode object : knative) {
            String name = object.path("kind").asText() + " " + object.path("metadata").path("name").asText();
            assertThat(crds.forObject(object)).as("a CRD for %s (%s)", name, object.path("apiVersion").asText()).isPresent();
            crds.violations(object).forEach(violation -> violations.add(overlay + ": " + name + ": " + violation));
        }
        assertThat(violations).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "dev", "gpu"})
    void theDispatcherRunsEveryTriggerAndEverySubscriberIsAServiceOfTheOverlay(String overlay) {
        List<JsonNode> objects = rendered(overlay);
        String yaml = objects.stream().map(JsonNode::toString).collect(Collectors.joining("\n---\n"));

        List<Trigger> triggers = new TriggerObjects("default", Optional.of("fleet")).parse(Map.of(overlay, yaml));

        assertThat(triggers).extracting(Trigger::name).containsExactlyInAnyOrder("registry", "heartbeat", "router", "commands", "agent", "inference");
        Set<String> services = ofKind(objects, "Service").stream()
                .filter(o -> o.path("apiVersion").asText().startsWith("serving.knative.dev/"))
                .map(o -> o.path("metadata").path("name").asText()).collect(Collectors.toSet());
        for (Trigger trigger : triggers) {
            assertThat(services).as("subscriber of %s", trigger.id()).contains(trigger.subscriber().ref().orElseThrow().name());
            assertThat(trigger.delivery().deadLetterSink()).as("dead letters of %s", trigger.id()).isPresent();
        }
        // the ConfigMap the dispatcher mounts holds the same Triggers
        JsonNode configMap = ofKind(objects, "ConfigMap").stream()
                .filter(o -> o.path("metadata").path("name").asText().startsWith("fleet-triggers")).findFirst().orElseThrow();
        List<Trigger> mounted = new TriggerObjects("default", Optional.of("fleet"))
                .parse(Map.of("configmap", configMap.path("data").path("triggers.yaml").asText()));
        assertThat(mounted).extracting(Trigger::name).containsExactlyInAnyOrder("registry", "heartbeat", "router", "commands", "agent", "inference");
        JsonNode dispatcher = named(objects, "Deployment", "trigger-dispatcher");
        assertThat(dispatcher.path("spec").path("template").path("spec").path("volumes").get(0).path("configMap").path("name").asText())
                .isEqualTo(configMap.path("metadata").path("name").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "dev", "gpu"})
    void theControlPlaneStaysWarmInferenceScalesToZeroAndEveryoneHasHealthProbes(String overlay) {
        List<JsonNode> objects = rendered(overlay);
        for (String name : List.of("registry", "heartbeat", "router", "commands", "agent", "ingress-sink")) {
            JsonNode service = named(objects, "Service", name);
            assertThat(annotation(service, "autoscaling.knative.dev/min-scale")).as(name).isEqualTo("1");
        }
        assertThat(annotation(named(objects, "Service", "commands"), "autoscaling.knative.dev/max-scale"))
                .as("one instance: a command's events are decided one at a time in its memory").isEqualTo("1");
        assertThat(annotation(named(objects, "Service", "agent"), "autoscaling.knative.dev/max-scale"))
                .as("one instance: a task's inputs and a tenant's placements are decided one at a time in its memory").isEqualTo("1");
        JsonNode inference = named(objects, "Service", "inference");
        assertThat(annotation(inference, "autoscaling.knative.dev/min-scale")).isEqualTo("0");
        assertThat(annotation(inference, "autoscaling.knative.dev/scale-down-delay")).isNotBlank();
        assertThat(annotation(inference, "autoscaling.knative.dev/target")).isNotBlank();
        for (JsonNode service : ofKind(objects, "Service")) {
            if (service.path("apiVersion").asText().startsWith("serving.knative.dev/")) {
                assertThat(container(service).path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/ready");
                assertThat(container(service).path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/live");
                assertThat(container(service).path("envFrom").toString()).contains("fleet-pulsar");
            }
        }
    }

    @Test
    void onlyTheGpuOverlayAsksForAGpuAndRunsTheGpuImage() {
        JsonNode gpu = container(named(rendered("gpu"), "Service", "inference"));
        assertThat(gpu.path("resources").path("limits").path("nvidia.com/gpu").asText()).isEqualTo("1");
        assertThat(gpu.path("image").asText()).startsWith("ghcr.io/autoglm-fleet/inference-gpu:");
        assertThat(gpu.path("image").asText()).isNotBlank();
        JsonNode cpu = container(named(rendered("dev"), "Service", "inference"));
        assertThat(cpu.path("resources").path("limits").has("nvidia.com/gpu")).isFalse();
        assertThat(cpu.path("image").asText()).startsWith("ghcr.io/autoglm-fleet/inference:");
    }

    @Test
    void theSchemaCheckCatchesMisspeltFieldsAndWrongTypes() {
        List<JsonNode> objects = rendered("dev");
        ObjectNode service = named(objects, "Service", "registry").deepCopy();
        ((ObjectNode) service.path("spec").path("template").path("spec")).putArray("containerz");
        assertThat(crds.violations(service)).anySatisfy(v -> assertThat(v).contains("containerz"));

        ObjectNode trigger = named(objects, "Trigger", "heartbeat").deepCopy();
        ((ObjectNode) trigger.path("spec").path("delivery")).put("retry", "three");
        ((ObjectNode) trigger.path("spec").path("subscriber")).put("url", "http://typo");
        assertThat(crds.violations(trigger)).anySatisfy(v -> assertThat(v).contains("retry"))
                .anySatisfy(v -> assertThat(v).contains("url"));
    }
}
