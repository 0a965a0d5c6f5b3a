package io.autoglm.fleet.functions.router;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.fixtures.SamplePayloads;
import io.autoglm.fleet.events.testing.ManualClock;
import io.autoglm.fleet.state.Reply;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RoutingMemoryTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-04T10:00:00Z"));

    @Test
    void anAnswerIsRecalledForItsTenantOnly() {
        RoutingMemory memory = new RoutingMemory(10, Duration.ofMinutes(10), clock);
        Reply reply = reply("d-1");
        memory.remember("acme", "command:c1", reply);

        assertThat(memory.recall("acme", "command:c1")).containsSame(reply);
        assertThat(memory.recall("globex", "command:c1")).isEmpty();
        assertThat(memory.recall("acme", "command:c2")).isEmpty();
    }

    @Test
    void theFirstAnswerStays() {
        RoutingMemory memory = new RoutingMemory(10, Duration.ofMinutes(10), clock);
        Reply first = reply("d-1");

        assertThat(memory.remember("acme", "command:c1", first)).isSameAs(first);
        assertThat(memory.remember("acme", "command:c1", reply("d-2"))).as("a concurrent second decision gets the first").isSameAs(first);
        assertThat(memory.recall("acme", "command:c1")).containsSame(first);
    }

    @Test
    void theOldestAreForgottenFirstBeyondTheCapacity() {
        RoutingMemory memory = new RoutingMemory(3, Duration.ofMinutes(10), clock);
        for (int i = 0; i < 5; i++) {
            memory.remember("acme", "command:c" + i, reply("d-" + i));
        }

        assertThat(memory.size()).isEqualTo(3);
        assertThat(memory.recall("acme", "command:c0")).isEmpty();
        assertThat(memory.recall("acme", "command:c1")).isEmpty();
        assertThat(memory.recall("acme", "command:c4")).isPresent();
    }

    @Test
    void anAnswerIsForgottenAfterItsKeep() {
        RoutingMemory memory = new RoutingMemory(10, Duration.ofMinutes(10), clock);
        memory.remember("acme", "command:c1", reply("d-1"));

        clock.advance(Duration.ofMinutes(10));
        assertThat(memory.recall("acme", "command:c1")).isPresent();
        clock.advance(Duration.ofMillis(1));
        assertThat(memory.recall("acme", "command:c1")).isEmpty();
        assertThat(memory.size()).isZero();
    }

    @Test
    void aMemoryOfNoneRemembersNothing() {
        RoutingMemory memory = new RoutingMemory(0, Duration.ofMinutes(10), clock);
        memory.remember("acme", "command:c1", reply("d-1"));

        assertThat(memory.recall("acme", "command:c1")).isEmpty();
    }

    private static Reply reply(String deviceId) {
        return new Reply(EventType.COMMAND_DISPATCHED, SamplePayloads.commandDispatched(), "acme", deviceId);
    }
}
