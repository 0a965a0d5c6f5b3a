package io.autoglm.fleet.functions.agent;

import io.autoglm.fleet.agent.TaskSession;
import io.autoglm.fleet.events.EventPublisher;
import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.events.task.DeviceReservation;
import io.autoglm.fleet.events.task.TaskRecord;
import io.autoglm.fleet.routing.Router;
import io.autoglm.fleet.routing.RouterPolicy;
import io.autoglm.fleet.routing.views.FleetViews;
import io.autoglm.fleet.state.StateTopic;
import io.autoglm.fleet.state.pulsar.PulsarStateTopic;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.apache.pulsar.client.api.PulsarClient;

import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The session core, the task state and reservation tables it writes, and the fleet it places tasks on (the router's core on
 * the registry, liveness and heartbeat topics, as the router reads them), for {@link AgentFunction}.
 */
@Singleton
public class AgentWiring {

    @Produces
    @Singleton
    TaskSession session(AgentSettings settings) {
        return new TaskSession(settings.limits());
    }

    @Produces
    @Singleton
    TaskService service(TaskSession session, StateTopic<TaskRecord> tasks, TaskPlacement placement, EventPublisher publisher, Clock clock) {
        return new TaskService(session, tasks, placement, publisher, clock);
    }

    @Produces
    @Singleton
    TaskPlacement placement(FleetViews fleets, StateTopic<DeviceReservation> reservations, AgentSettings settings) {
        return new TaskPlacement(new Router(RouterPolicy.DEFAULT, ThreadLocalRandom::current), fleets, reservations,
                settings.reservationIdleTimeout());
    }

    /** Each tenant's compacted {@code task-state} topic, written only here. */
    @Produces
    @Singleton
    StateTopic<TaskRecord> tasks(PulsarClient client, Topics topics) {
        return PulsarStateTopic.tasks(client, topics).writtenHere();
    }

    void closeTasks(@Disposes StateTopic<TaskRecord> tasks) {
        tasks.close();
    }

    /** Each tenant's compacted {@code device-reservations} topic, written only here. */
    @Produces
    @Singleton
    StateTopic<DeviceReservation> reservations(PulsarClient client, Topics topics) {
        return PulsarStateTopic.reservations(client, topics).writtenHere();
    }

    void closeReservations(@Disposes StateTopic<DeviceReservation> reservations) {
        reservations.close();
    }

    /** The tenant's fleet as the router sees it (registry, liveness, heartbeat load), read here for placements. */
    @Produces
    @Singleton
    FleetViews fleets(PulsarClient client, Topics topics) {
        return FleetViews.onPulsar(client, topics);
    }

    void closeFleets(@Disposes FleetViews fleets) {
        fleets.close();
    }
}
