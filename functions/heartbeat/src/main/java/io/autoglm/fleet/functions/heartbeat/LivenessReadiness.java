package io.autoglm.fleet.functions.heartbeat;

import io.autoglm.fleet.liveness.LivenessEvaluator;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness with what the evaluator has seen (heartbeats, duplicates and out-of-order ones ignored, unknown
 * devices rejected, deadlines, transitions) and the messages it wrote per heartbeat, at {@code /q/health/ready}.
 */
@Readiness
@Singleton
public class LivenessReadiness implements HealthCheck {

    @Inject
    HeartbeatService liveness;

    @Override
    public HealthCheckResponse call() {
        LivenessEvaluator.Counters counters = liveness.evaluator().counters();
        return HealthCheckResponse.named("liveness").up()
                .withData("heartbeats", counters.heartbeats())
                .withData("duplicates", counters.duplicates())
                .withData("outOfOrder", counters.outOfOrder())
                .withData("unknownDevices", liveness.unknownDevices())
                .withData("deadlinesFired", counters.deadlinesFired())
                .withData("deadlinesScheduled", counters.deadlinesScheduled())
                .withData("deadlinesSuperseded", counters.superseded())
                .withData("transitions", counters.transitions())
                .withData("callersGone", liveness.callersGone())
                .withData("answersLost", liveness.answersLost())
                .withData("reannounced", counters.reannounced())
                .withData("deadlinesPostponed", counters.postponed())
                .withData("messagesPerHeartbeat", String.format(java.util.Locale.ROOT, "%.3f", counters.messagesPerHeartbeat()))
                .build();
    }
}
