package io.autoglm.fleet.functions.heartbeat;

import io.autoglm.fleet.events.EventPublisher;
import io.autoglm.fleet.events.device.DeviceStatusChanged;
import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.liveness.LivenessEvaluator;
import io.autoglm.fleet.state.RegisteredDevice;
import io.autoglm.fleet.state.StateTopic;
import io.autoglm.fleet.state.pulsar.PulsarStateTopic;
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
    LivenessEvaluator evaluator(HeartbeatSettings settings, Clock clock, HeartbeatMetrics metrics) {
        return new LivenessEvaluator(settings::policyOf, clock.millis(), metrics);
    }

    @Produces
    @Singleton
    HeartbeatService service(LivenessEvaluator evaluator, StateTopic<RegisteredDevice> registry, StateTopic<DeviceStatusChanged> liveness,
                             EventPublisher timers, Clock clock, HeartbeatMetrics metrics) {
        HeartbeatService service = new HeartbeatService(evaluator, registry, liveness, timers, clock);
        metrics.bind(service);
        return service;
    }

    /** The registry for membership only: a large fleet in little memory. */
    @Produces
    @Singleton
    StateTopic<RegisteredDevice> registry(PulsarClient client, Topics topics) {
        return PulsarStateTopic.registrations(client, topics);
    }

    void closeRegistry(@Disposes StateTopic<RegisteredDevice> registry) {
        registry.close();
    }

    @Produces
    @Singleton
    StateTopic<DeviceStatusChanged> liveness(PulsarClient client, Topics topics) {
        return PulsarStateTopic.liveness(client, topics).writtenHere();
    }

    void closeLiveness(@Disposes StateTopic<DeviceStatusChanged> liveness) {
        liveness.close();
    }

}
