package io.autoglm.fleet.functions.router;

import io.autoglm.fleet.routing.views.FleetViews;
import io.autoglm.fleet.routing.views.HeartbeatFeed;
import io.autoglm.fleet.events.EventPublisher;
import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.functions.router.pulsar.PulsarDeviceCommands;
import io.autoglm.fleet.routing.views.pulsar.PulsarHeartbeatFeed;
import io.autoglm.fleet.routing.Router;
import io.autoglm.fleet.state.FleetState;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.apache.pulsar.client.api.PulsarClient;

import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;

/** The router's decision core, the fleet it decides on and where it delivers, for {@link RouterFunction}. */
@Singleton
public class RouterWiring {

    @Produces
    @Singleton
    Router router(RouterSettings settings) {
        return new Router(settings.policy(), ThreadLocalRandom::current);
    }

    @Produces
    @Singleton
    RoutingService service(Router router, FleetViews fleets, DeviceCommands commands, EventPublisher publisher, Clock clock,
                           RouterSettings settings, RouterMetrics metrics) {
        RoutingMemory memory = new RoutingMemory(settings.memory().commands(), settings.memory().keep(), clock);
        return new RoutingService(router, fleets, commands, publisher, clock, memory, metrics);
    }

    @Produces
    @Singleton
    FleetViews fleets(FleetState state, HeartbeatFeed heartbeats) {
        return new FleetViews(state, heartbeats);
    }

    @Produces
    @Singleton
    FleetState state(PulsarClient client, Topics topics) {
        return FleetState.onPulsar(client, topics);
    }

    void closeState(@Disposes FleetState state) {
        state.close();
    }

    @Produces
    @Singleton
    HeartbeatFeed heartbeats(PulsarClient client, Topics topics) {
        return new PulsarHeartbeatFeed(client, topics);
    }

    void closeHeartbeats(@Disposes HeartbeatFeed heartbeats) {
        heartbeats.close();
    }

    @Produces
    @Singleton
    DeviceCommands commands(PulsarClient client, Topics topics, RouterSettings settings) {
        return new PulsarDeviceCommands(client, topics, settings.batchTimeout());
    }

    void closeCommands(@Disposes DeviceCommands commands) {
        commands.close();
    }

}
