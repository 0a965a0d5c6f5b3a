package io.autoglm.fleet.triggers.dispatch;

import io.autoglm.fleet.triggers.dispatch.DeliveryPause.Next;
import io.autoglm.fleet.events.testing.ManualClock;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryPauseTest {

    private static final Instant START = Instant.parse("2026-01-01T10:00:00Z");
    private static final DeliveryPause.Bounds BOUNDS = new DeliveryPause.Bounds(Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofSeconds(20));

    /** The clock and timer of the pause, moved by hand. */
    private static final class Time implements DeliveryPause.Timer {
        final ManualClock clock = new ManualClock(START);
        final List<Runnable> tasks = new ArrayList<>();
        final List<Duration> delays = new ArrayList<>();

        @Override
        public void schedule(Runnable task, Duration delay) {
            tasks.add(task);
            delays.add(delay);
        }

        /** Moves to the next scheduled task and runs it. */
        void next() {
            Runnable task = tasks.remove(0);
            clock.advance(delays.remove(0));
            task.run();
        }
    }

    private final Time time = new Time();
    private final DeliveryPause pause = new DeliveryPause("fleet/heartbeat", URI.create("http://127.0.0.1:8082"), BOUNDS, time.clock, time);

    @Test
    void deliveringCostsNothingAndHoldsNoEvent() {
        assertThat(pause.paused()).isFalse();
        assertThat(pause.hold(null)).isCompletedWithValue(Next.RESUME);
        pause.reached();
        assertThat(pause.state()).isEmpty();
        assertThat(time.tasks).isEmpty();
    }

    @Test
    void anUnreachableSubscriberPausesDeliveryAndTheEventsWaitUntilItAnswers() {
        CompletableFuture<Next> first = pause.hold("cannot connect: Connection refused");
        CompletableFuture<Next> second = pause.hold("cannot connect: Connection refused");
        CompletableFuture<Next> notSent = pause.hold(null);

        assertThat(pause.paused()).isTrue();
        assertThat(List.of(first, second, notSent)).allSatisfy(event -> assertThat(event).isNotDone());
        assertThat(pause.state()).hasValueSatisfying(state -> {
            assertThat(state.since()).isEqualTo(START);
            assertThat(state.reason()).isEqualTo("cannot connect: Connection refused");
            assertThat(state.waiting()).isEqualTo(3);
            assertThat(state.deadLettering()).isFalse();
        });

        time.next();
        assertThat(first).as("the oldest waiting event probes").isCompletedWithValue(Next.PROBE);
        assertThat(second).isNotDone();

        pause.reached();
        assertThat(pause.paused()).isFalse();
        assertThat(pause.state()).isEmpty();
        assertThat(second).isCompletedWithValue(Next.RESUME);
        assertThat(notSent).isCompletedWithValue(Next.RESUME);
    }

    @Test
    void probesComeAtADoublingIntervalUpToItsLimit() {
        pause.hold("cannot connect");
        for (int probe = 0; probe < 4; probe++) {
            time.next();
            pause.hold("cannot connect"); // the probe could not connect either: it waits again
        }
        assertThat(time.delays).containsExactly(Duration.ofSeconds(4));
        assertThat(pause.state()).hasValueSatisfying(state -> assertThat(state.probes()).isEqualTo(4));
        assertThat(time.clock.instant()).isEqualTo(START.plusSeconds(1 + 2 + 4 + 4));
    }

    @Test
    void aPauseLongerThanItsBoundSendsTheWaitingEventsAndLaterFailuresToTheDeadLetters() {
        CompletableFuture<Next> waiting = pause.hold("cannot connect");
        CompletableFuture<Next> probe = null;
        while (!time.tasks.isEmpty() && time.clock.instant().isBefore(START.plus(BOUNDS.maxPause()))) {
            time.next();
            if (waiting.isDone()) {
                probe = waiting;
                waiting = pause.hold("cannot connect");
            }
        }
        assertThat(probe).isNotNull();
        assertThat(time.clock.instant()).as("the last probe comes at the bound").isEqualTo(START.plus(BOUNDS.maxPause()));
        assertThat(waiting).isCompletedWithValue(Next.GIVE_UP);
        assertThat(pause.paused()).as("events are taken again, to go to the dead letters").isFalse();
        assertThat(pause.state()).hasValueSatisfying(state -> assertThat(state.deadLettering()).isTrue());
        assertThat(pause.hold("cannot connect")).isCompletedWithValue(Next.GIVE_UP);
        assertThat(pause.hold(null)).isCompletedWithValue(Next.RESUME);
        assertThat(time.tasks).as("no more probes: the events themselves are").isEmpty();

        pause.reached();
        assertThat(pause.state()).isEmpty();
        assertThat(pause.hold("cannot connect")).as("a new outage pauses again").isNotDone();
    }

    @Test
    void closingLeavesTheWaitingEventsToPulsar() {
        CompletableFuture<Next> waiting = pause.hold("cannot connect");
        pause.close();
        assertThat(waiting).isCompletedWithValue(Next.STOP);
        assertThat(pause.hold("cannot connect")).isCompletedWithValue(Next.STOP);
        time.next();
    }
}
