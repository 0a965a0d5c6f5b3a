package io.autoglm.fleet.functions.heartbeat;

import io.autoglm.fleet.events.device.DeviceStatusChanged;
import io.autoglm.fleet.events.device.LivenessStatus;
import io.autoglm.fleet.liveness.LivenessEvaluator;
import io.autoglm.fleet.liveness.TransitionListener;
import io.autoglm.fleet.service.TaggedMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * The heartbeat function's figures at {@code /q/metrics}: what the evaluator and the service already count, read when
 * scraped (heartbeats evaluated, duplicates, out of order, deadlines fired, scheduled and superseded, postponed,
 * re-announced, unknown devices, answers lost, callers gone); per tenant, the status transitions
 * ({@code autoglm_heartbeat_transitions_total{from,to,tenant}}, {@code from="none"} for a device's first) and the
 * detection delay ({@code autoglm_heartbeat_detection_delay_seconds{to="suspect"|"offline",tenant}}: from the last
 * heartbeat's arrival to the verdict).
 */
@Singleton
public class HeartbeatMetrics implements TransitionListener {

    private static final Duration[] DETECTION_BUCKETS = {Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofMillis(7500), Duration.ofSeconds(10), Duration.ofSeconds(15),
            Duration.ofSeconds(20), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(300)};
    private static final LivenessStatus[] STATUSES = LivenessStatus.values();

    private final MeterRegistry registry;
    /** Per tenant: [from ordinal + 1 (0: none)][to ordinal]. */
    private final TaggedMeters<Counter[][]> transitions;
    /** Per tenant: [to ordinal]. */
    private final TaggedMeters<Timer[]> detection;

    public HeartbeatMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.transitions = new TaggedMeters<>(tenant -> {
            Counter[][] byStatus = new Counter[STATUSES.length + 1][STATUSES.length];
            for (int from = 0; from <= STATUSES.length; from++) {
                for (LivenessStatus to : STATUSES) {
                    byStatus[from][to.ordinal()] = Counter.builder("autoglm.heartbeat.transitions").description("Device status transitions")
                            .tags("tenant", tenant, "from", from == 0 ? "none" : tag(STATUSES[from - 1]), "to", tag(to)).register(registry);
                }
            }
            return byStatus;
        });
        this.detection = new TaggedMeters<>(tenant -> {
            Timer[] byStatus = new Timer[STATUSES.length];
            for (LivenessStatus to : STATUSES) {
                if (to != LivenessStatus.ONLINE) {
                    byStatus[to.ordinal()] = Timer.builder("autoglm.heartbeat.detection.delay")
                            .description("From a device's last heartbeat's arrival to its SUSPECT or OFFLINE verdict")
                            .serviceLevelObjectives(DETECTION_BUCKETS).tags("tenant", tenant, "to", tag(to)).register(registry);
                }
            }
            return byStatus;
        });
    }

    @Override
    public void transitioned(DeviceStatusChanged transition, long silentMillis) {
        int to = transition.current().ordinal();
        transitions.of(transition.tenant())[transition.previous() == null ? 0 : transition.previous().ordinal() + 1][to].increment();
        Timer delay = detection.of(transition.tenant())[to];
        if (delay != null) {
            delay.record(silentMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** The counts {@code service} and its evaluator keep, read when scraped. */
    void bind(HeartbeatService service) {
        LivenessEvaluator.Counters counters = service.evaluator().counters();
        count("autoglm.heartbeat.heartbeats", "Heartbeats evaluated (newer than any of the device's)", counters, LivenessEvaluator.Counters::heartbeats);
        count("autoglm.heartbeat.duplicates", "Heartbeats seen before (a redelivery)", counters, LivenessEvaluator.Counters::duplicates);
        count("autoglm.heartbeat.out.of.order", "Heartbeats older than the device's last", counters, LivenessEvaluator.Counters::outOfOrder);
        count("autoglm.heartbeat.deadlines.fired", "Liveness deadlines delivered back", counters, LivenessEvaluator.Counters::deadlinesFired);
        count("autoglm.heartbeat.deadlines.scheduled", "Liveness deadlines scheduled", counters, LivenessEvaluator.Counters::deadlinesScheduled);
        count("autoglm.heartbeat.deadlines.superseded", "Deadlines that were not the device's live one", counters,
                LivenessEvaluator.Counters::superseded);
        count("autoglm.heartbeat.deadlines.postponed", "Deadlines postponed while the tenant's whole feed was silent", counters,
                LivenessEvaluator.Counters::postponed);
        count("autoglm.heartbeat.reannounced", "Statuses announced again after their first answer reached nobody", counters,
                LivenessEvaluator.Counters::reannounced);
        count("autoglm.heartbeat.unknown.devices", "Heartbeats rejected: the registry does not know the device", service,
                HeartbeatService::unknownDevices);
        count("autoglm.heartbeat.answers.lost", "Status changes whose answer reached nobody", service, HeartbeatService::answersLost);
        count("autoglm.heartbeat.callers.gone", "Requests whose caller hung up before the answer", service, HeartbeatService::callersGone);
    }

    private <T> void count(String name, String description, T source, ToLongFunction<T> count) {
        FunctionCounter.builder(name, source, count::applyAsLong).description(description).tags(Tags.empty()).register(registry);
    }

    private static String tag(LivenessStatus status) {
        return status.name().toLowerCase(Locale.ROOT);
    }
}
