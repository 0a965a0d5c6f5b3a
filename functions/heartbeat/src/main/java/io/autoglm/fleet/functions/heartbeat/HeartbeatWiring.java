package io.autoglm.fleet.functions.heartbeat;

import io.autoglm.fleet.events.EventPublisher;
import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.liveness.LivenessEvaluator;
import io.autoglm.fleet.state.FleetState;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.apache.pulsar.client.api.PulsarClient;

import java.time.Clock;

/** The liveness evaluator and the state it reads and writes on Pulsar, for {@link HeartbeatFunction}. */
@Singleton
public class HeartbeatWiring {

    @Produces
    @Singleton
    LivenessEvaluator evaluator(HeartbeatSettings settings, Clock clock) {
        return new LivenessEvaluator(settings::policyOf, clock.millis());
    }

    @Produces
    @Singleton
    HeartbeatService service(LivenessEvaluator evaluator, FleetState state, EventPublisher timers, Clock clock) {
        return new HeartbeatService(evaluator, state, timers, clock);
    }

    @Produces
    @Singleton
    FleetState state(PulsarClient client, Topics topics) {
        return FleetState.onPulsar(client, topics);
    }

    void close(@Disposes FleetState state) {
        state.close();
    }

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
