package io.autoglm.fleet.triggers.replay;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.fixtures.ValidEvents;
import io.autoglm.fleet.triggers.dispatch.DeadLetters;
import io.cloudevents.CloudEvent;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplayFilterTest {

    private static final Instant AT = Instant.parse("2026-12-03T10:00:00Z");
    private static final CloudEvent HEARTBEAT = DeadLetters.of(ValidEvents.of(EventType.DEVICE_HEARTBEAT), URI.create("http://x"),
            OptionalInt.of(500), "HTTP 500", 4, "fleet/heartbeat", "persistent://public/default/fleet.acme.heartbeats");

    private static ReplayFilter parse(Map<String, String> query) {
        return ReplayFilter.parse(query.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue()))));
    }

    @Test
    void onlyTheTenantIsRequiredAndItMatchesEveryDeadLetter() {
        ReplayFilter all = parse(Map.of("tenant", "acme"));
        assertThat(all).isEqualTo(ReplayFilter.all("acme"));
        assertThat(all.matches(HEARTBEAT, AT)).isTrue();
    }

    @Test
    void theFiltersNarrowByTriggerTypeAndWhenTheDeadLetterWasWritten() {
        assertThat(parse(Map.of("tenant", "acme", "trigger", "heartbeat")).matches(HEARTBEAT, AT)).isTrue();
        assertThat(parse(Map.of("tenant", "acme", "trigger", "fleet/heartbeat")).matches(HEARTBEAT, AT)).isTrue();
        assertThat(parse(Map.of("tenant", "acme", "trigger", "registry")).matches(HEARTBEAT, AT)).isFalse();
        assertThat(parse(Map.of("tenant", "acme", "type", "io.autoglm.device.heartbeat")).matches(HEARTBEAT, AT)).isTrue();
        assertThat(parse(Map.of("tenant", "acme", "type", "io.autoglm.command.requested")).matches(HEARTBEAT, AT)).isFalse();
        ReplayFilter window = parse(Map.of("tenant", "acme", "since", "2026-12-03T10:00:00Z", "until", "2026-12-03T12:00:00+01:00"));
        assertThat(window.matches(HEARTBEAT, AT)).as("since is inclusive").isTrue();
        assertThat(window.matches(HEARTBEAT, AT.minusMillis(1))).isFalse();
        assertThat(window.matches(HEARTBEAT, AT.plusSeconds(3599))).isTrue();
        assertThat(window.matches(HEARTBEAT, AT.plusSeconds(3600))).as("until is exclusive").isFalse();
    }

    @Test
    void everyProblemOfABadFilterIsNamed() {
        assertThatThrownBy(() -> parse(Map.of("trigger", "heartbeat", "type", "heartbeat", "since", "yesterday", "colour", "red")))
                .isInstanceOfSatisfying(InvalidReplayFilterException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "'tenant' is required: whose dead letters to replay",
                        "'type' heartbeat is not an event type of the contract (e.g. io.autoglm.device.heartbeat)",
                        "'since' must be an ISO-8601 time with its offset (e.g. 2026-12-03T10:00:00Z), got 'yesterday'",
                        "unknown parameter 'colour'; a replay takes since, tenant, trigger, type, until"));
        assertThatThrownBy(() -> parse(Map.of("tenant", "Acme Corp"))).hasMessageContaining("tenant must be");
        assertThatThrownBy(() -> parse(Map.of("tenant", "acme", "since", "2026-12-03T10:00:00Z", "until", "2026-12-03T09:00:00Z")))
                .hasMessage("'since' (2026-12-03T10:00:00Z) must be before 'until' (2026-12-03T09:00:00Z)");
        assertThatThrownBy(() -> ReplayFilter.parse(Map.of("tenant", List.of("acme", "globex"))))
                .hasMessage("'tenant' is given 2 times; give it once");
    }
}
