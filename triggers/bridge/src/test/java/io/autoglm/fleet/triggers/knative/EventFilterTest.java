package io.autoglm.fleet.triggers.knative;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Knative Eventing's filter semantics, case by case. */
class EventFilterTest {

    private static final EventAttributes HEARTBEAT = Map.of(
            "type", "io.autoglm.device.heartbeat",
            "source", "/devices/agents/r5ct",
            "tenant", "acme",
            "placement", "cloud")::get;

    @Test
    void attributesMatchExactlyAndTheEmptyStringMatchesAnyValueOfAPresentAttribute() {
        assertThat(new EventFilter.Attributes(Map.of("type", "io.autoglm.device.heartbeat", "tenant", "acme")).test(HEARTBEAT)).isTrue();
        assertThat(new EventFilter.Attributes(Map.of("type", "io.autoglm.device.heartbeat", "tenant", "globex")).test(HEARTBEAT)).isFalse();
        assertThat(new EventFilter.Attributes(Map.of("tenant", "")).test(HEARTBEAT)).isTrue();
        assertThat(new EventFilter.Attributes(Map.of("subject", "")).test(HEARTBEAT)).as("absent attribute").isFalse();
        assertThat(new EventFilter.Attributes(Map.of("type", "IO.AUTOGLM.DEVICE.HEARTBEAT")).test(HEARTBEAT)).as("case-sensitive").isFalse();
    }

    @Test
    void exactPrefixAndSuffixCompareOneAttributeAndFailOnAnAbsentOne() {
        assertThat(new EventFilter.Exact("placement", "cloud").test(HEARTBEAT)).isTrue();
        assertThat(new EventFilter.Exact("placement", "clou").test(HEARTBEAT)).isFalse();
        assertThat(new EventFilter.Exact("subject", "x").test(HEARTBEAT)).isFalse();
        assertThat(new EventFilter.Prefix("type", "io.autoglm.device.").test(HEARTBEAT)).isTrue();
        assertThat(new EventFilter.Prefix("type", "io.autoglm.command.").test(HEARTBEAT)).isFalse();
        assertThat(new EventFilter.Prefix("subject", "").test(HEARTBEAT)).isFalse();
        assertThat(new EventFilter.Suffix("type", ".heartbeat").test(HEARTBEAT)).isTrue();
        assertThat(new EventFilter.Suffix("type", ".requested").test(HEARTBEAT)).isFalse();
    }

    @Test
    void allAnyAndNotCombineExpressions() {
        EventFilter heartbeat = new EventFilter.Exact("type", "io.autoglm.device.heartbeat");
        EventFilter globex = new EventFilter.Exact("tenant", "globex");
        assertThat(new EventFilter.All(List.of(heartbeat, new EventFilter.Exact("tenant", "acme"))).test(HEARTBEAT)).isTrue();
        assertThat(new EventFilter.All(List.of(heartbeat, globex)).test(HEARTBEAT)).isFalse();
        assertThat(new EventFilter.Any(List.of(globex, heartbeat)).test(HEARTBEAT)).isTrue();
        assertThat(new EventFilter.Any(List.of(globex)).test(HEARTBEAT)).isFalse();
        assertThat(new EventFilter.Not(globex).test(HEARTBEAT)).isTrue();
        assertThat(new EventFilter.Not(heartbeat).test(HEARTBEAT)).isFalse();
        assertThat(new EventFilter.Not(new EventFilter.Exact("subject", "x")).test(HEARTBEAT))
                .as("not of an absent attribute passes").isTrue();
        assertThat(new EventFilter.MatchAll().test(HEARTBEAT)).isTrue();
    }

    @Test
    void theRoutersFilterLetsThroughInferenceRequestsWithoutAPlacementOnly() {
        // the dialect has no "attribute absent" test; placement takes one of three values
        EventFilter router = new EventFilter.All(List.of(
                new EventFilter.Exact("type", "io.autoglm.inference.requested"),
                new EventFilter.Not(new EventFilter.Any(List.of(
                        new EventFilter.Exact("placement", "device"),
                        new EventFilter.Exact("placement", "edge"),
                        new EventFilter.Exact("placement", "cloud"))))));

        assertThat(router.test(Map.of("type", "io.autoglm.inference.requested")::get)).isTrue();
        assertThat(router.test(Map.of("type", "io.autoglm.inference.requested", "placement", "cloud")::get)).isFalse();
        assertThat(router.test(Map.of("type", "io.autoglm.inference.requested", "placement", "edge")::get)).isFalse();
        assertThat(router.test(Map.of("type", "io.autoglm.inference.completed")::get)).isFalse();
    }
}
