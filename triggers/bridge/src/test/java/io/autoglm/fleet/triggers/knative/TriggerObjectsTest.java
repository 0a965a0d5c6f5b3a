package io.autoglm.fleet.triggers.knative;

import io.autoglm.fleet.events.EventFamily;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class TriggerObjectsTest {

    private final TriggerObjects objects = new TriggerObjects("fleet", Optional.empty());

    private List<Trigger> parse(String yaml) {
        return objects.parse(Map.of("triggers.yaml", yaml));
    }

    private List<String> problems(String yaml) {
        return catchThrowableOfType(() -> parse(yaml), InvalidTriggersException.class).problems();
    }

    @Test
    void readsAFiltersDialectTriggerWithItsDeliverySpec() {
        List<Trigger> triggers = parse("""
                apiVersion: eventing.knative.dev/v1
                kind: Trigger
                metadata:
                  name: heartbeat
                spec:
                  broker: fleet
                  filters:
                    - any:
                        - exact: {type: io.autoglm.device.heartbeat}
                        - exact: {type: io.autoglm.device.liveness.deadline}
                  subscriber:
                    ref: {apiVersion: serving.knative.dev/v1, kind: Service, name: heartbeat}
                  delivery:
                    retry: 5
                    backoffPolicy: linear
                    backoffDelay: PT0.5S
                    timeout: PT3S
                    deadLetterSink:
                      ref: {apiVersion: serving.knative.dev/v1, kind: Service, name: ingress-sink}
                      uri: /dead-letters
                """);

        assertThat(triggers).hasSize(1);
        Trigger trigger = triggers.get(0);
        assertThat(trigger.id()).isEqualTo("fleet/heartbeat");
        assertThat(trigger.broker()).isEqualTo("fleet");
        assertThat(trigger.families()).containsExactlyInAnyOrder(EventFamily.HEARTBEAT, EventFamily.DEADLINE);
        assertThat(trigger.filter().test(Map.of("type", "io.autoglm.device.heartbeat")::get)).isTrue();
        assertThat(trigger.filter().test(Map.of("type", "io.autoglm.device.registered")::get)).isFalse();
        assertThat(trigger.subscriber().resolve(Destination.Addresses.clusterLocal(Map.of())))
                .isEqualTo(URI.create("http://heartbeat.fleet.svc.cluster.local"));
        DeliverySpec delivery = trigger.delivery();
        assertThat(delivery.retry()).isEqualTo(5);
        assertThat(delivery.backoffPolicy()).isEqualTo(BackoffPolicy.LINEAR);
        assertThat(delivery.backoffDelay()).isEqualTo(Duration.ofMillis(500));
        assertThat(delivery.timeout()).contains(Duration.ofSeconds(3));
        assertThat(delivery.deadLetterSink()).isPresent();
        assertThat(trigger.subscriptionName()).isEqualTo("trigger.fleet.heartbeat");
    }

    @Test
    void readsTheLegacyAttributesFilterAndKnativesDefaults() {
        Trigger trigger = parse("""
                apiVersion: eventing.knative.dev/v1
                kind: Trigger
                metadata: {name: registry, namespace: prod}
                spec:
                  broker: fleet
                  filter:
                    attributes:
                      type: io.autoglm.device.registration.requested
                      tenant: ""
                  subscriber:
                    uri: http://127.0.0.1:8081/
                """).get(0);

        assertThat(trigger.id()).isEqualTo("prod/registry");
        assertThat(trigger.filter()).isEqualTo(new EventFilter.Attributes(Map.of(
                "type", "io.autoglm.device.registration.requested", "tenant", "")));
        assertThat(trigger.families()).containsExactly(EventFamily.DEVICE);
        assertThat(trigger.delivery()).isEqualTo(DeliverySpec.DEFAULT);
    }

    @Test
    void filtersOverrideFilterAsInKnative() {
        Trigger trigger = parse("""
                apiVersion: eventing.knative.dev/v1
                kind: Trigger
                metadata: {name: both}
                spec:
                  broker: fleet
                  filter: {attributes: {type: io.autoglm.device.heartbeat}}
                  filters: [{prefix: {type: io.autoglm.command.}}]
                  subscriber: {uri: "http://localhost:1/"}
                """).get(0);
        assertThat(trigger.filter().test(Map.of("type", "io.autoglm.command.requested")::get)).isTrue();
        assertThat(trigger.filter().test(Map.of("type", "io.autoglm.device.heartbeat")::get)).isFalse();
    }

    @Test
    void skipsOtherKindsOtherBrokersAndReadsListsAndSeveralDocuments() {
        String yaml = """
                apiVersion: serving.knative.dev/v1
                kind: Service
                metadata: {name: registry}
                ---
                apiVersion: v1
                kind: List
                items:
                  - apiVersion: eventing.knative.dev/v1
                    kind: Trigger
                    metadata: {name: a}
                    spec: {broker: fleet, subscriber: {uri: "http://localhost:1/"}}
                  - apiVersion: eventing.knative.dev/v1
                    kind: Trigger
                    metadata: {name: b}
                    spec: {broker: other, subscriber: {uri: "http://localhost:1/"}}
                ---
                """;
        assertThat(parse(yaml)).extracting(Trigger::name).containsExactly("a", "b");
        assertThat(new TriggerObjects("fleet", Optional.of("fleet")).parse(Map.of("all.yaml", yaml)))
                .extracting(Trigger::name).containsExactly("a");
    }

    @Test
    void theFamiliesAnnotationOverridesTheDerivation() {
        Trigger trigger = parse("""
                apiVersion: eventing.knative.dev/v1
                kind: Trigger
                metadata:
                  name: audit
                  annotations: {autoglm.io/event-families: "device, command"}
                spec: {broker: fleet, subscriber: {uri: "http://localhost:1/"}}
                """).get(0);
        assertThat(trigger.families()).containsExactlyInAnyOrder(EventFamily.DEVICE, EventFamily.COMMAND);
    }

    @Test
    void reportsEveryProblemOfEveryTriggerNamingTheField() {
        List<String> problems = problems("""
                apiVersion: eventing.knative.dev/v1
                kind: Trigger
                metadata: {name: broken}
                spec:
                  filters:
                    - exact: {type: a, source: b}
                    - prefix: {type: ""}
                    - exact: {type: x}
                      suffix: {type: y}
                    - cesql: "type = 'x'"
                    - all: []
                    - {}
                    - exact: {Type: x}
                  delivery:
                    retry: -1
                    backoffPolicy: fibonacci
                    backoffDelay: 5s
                    format: json
                ---
                apiVersion: eventing.knative.dev/v1
                kind: Trigger
                metadata: {name: nowhere}
                spec:
                  broker: fleet
                  subscriber: {uri: /relative}
                """);

        assertThat(problems).anySatisfy(p -> assertThat(p).contains("Trigger fleet/broken: spec.broker is required"))
                .anySatisfy(p -> assertThat(p).contains("spec.subscriber is required"))
                .anySatisfy(p -> assertThat(p).contains("spec.filters[0].exact must name exactly one attribute and its value, got 2 attributes"))
                .anySatisfy(p -> assertThat(p).contains("spec.filters[1].prefix.type must be a non-empty string"))
                .anySatisfy(p -> assertThat(p).contains("spec.filters[2] sets exact and suffix: a filter expression has exactly one dialect"))
                .anySatisfy(p -> assertThat(p).contains("spec.filters[3].cesql CloudEvents SQL filters are not supported"))
                .anySatisfy(p -> assertThat(p).contains("spec.filters[4].all must be a non-empty list"))
                .anySatisfy(p -> assertThat(p).contains("spec.filters[5] is empty"))
                .anySatisfy(p -> assertThat(p).contains("spec.filters[6].exact.Type is not a CloudEvents attribute name"))
                .anySatisfy(p -> assertThat(p).contains("spec.delivery.retry must be a whole number >= 0, got -1"))
                .anySatisfy(p -> assertThat(p).contains("spec.delivery.backoffPolicy must be linear or exponential, got 'fibonacci'"))
                .anySatisfy(p -> assertThat(p).contains("spec.delivery.backoffDelay must be an ISO-8601 duration such as PT0.5S or PT2M, got '5s'"))
                .anySatisfy(p -> assertThat(p).contains("spec.delivery.format must be binary"))
                .anySatisfy(p -> assertThat(p).contains("Trigger fleet/nowhere: spec.subscriber.uri must be an absolute URL when there is no ref"));
        assertThat(problems).allSatisfy(p -> assertThat(p).startsWith("triggers.yaml: Trigger fleet/"));
    }

    @Test
    void aFilterThatLetsNoCatalogueTypeThroughIsAProblem() {
        assertThat(problems("""
                apiVersion: eventing.knative.dev/v1
                kind: Trigger
                metadata: {name: typo}
                spec:
                  broker: fleet
                  filters: [{exact: {type: io.autoglm.device.hartbeat}}]
                  subscriber: {uri: "http://localhost:1/"}
                """)).singleElement().asString().contains("lets no event type of the catalogue through")
                .contains(TriggerTopics.FAMILIES_ANNOTATION);
    }

    @Test
    void aTriggerDefinedTwiceAndBrokenYamlAreProblems() {
        String trigger = """
                apiVersion: eventing.knative.dev/v1
                kind: Trigger
                metadata: {name: twice}
                spec: {broker: fleet, subscriber: {uri: "http://localhost:1/"}}
                """;
        assertThatThrownBy(() -> objects.parse(Map.of("a.yaml", trigger, "b.yaml", trigger)))
                .isInstanceOf(InvalidTriggersException.class).hasMessageContaining("fleet/twice is defined twice");
        assertThatThrownBy(() -> parse("spec: [unclosed"))
                .isInstanceOf(InvalidTriggersException.class).hasMessageContaining("triggers.yaml: not valid YAML");
    }
}
