package io.autoglm.fleet.functions.agent;

import io.autoglm.fleet.events.EventPublisher;
import io.autoglm.fleet.events.task.DeviceReservation;
import io.autoglm.fleet.events.task.TaskRecord;
import io.autoglm.fleet.events.testing.ManualClock;
import io.autoglm.fleet.routing.views.FleetViews;
import io.autoglm.fleet.state.StateTopic;
import io.autoglm.fleet.state.testing.InMemoryFleetState;
import io.autoglm.fleet.state.testing.InMemoryStateTopic;
import io.autoglm.fleet.state.testing.RecordingPublisher;
import io.autoglm.fleet.triggers.testing.TestTokens;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * The function's tables, fleet, publisher and clock in memory, so its tests need no broker and control time; off for the
 * tests on the real broker ({@code agent-test.in-memory=false}, {@link AgentFunctionIT}).
 */
@Singleton
@IfBuildProperty(name = "agent-test.in-memory", stringValue = "true", enableIfMissing = true)
public class TestState {

    static final InMemoryStateTopic<TaskRecord> TASKS = new InMemoryStateTopic<>();
    static final InMemoryStateTopic<DeviceReservation> RESERVATIONS = new InMemoryStateTopic<>();
    static final InMemoryFleetState FLEET = new InMemoryFleetState();
    /** What the function published (events) and scheduled (timers). */
    static final RecordingPublisher PUBLISHED = new RecordingPublisher();
    /** Starts at the real time: the queries' tokens are issued now, and a clock a day behind them finds them too long-lived. */
    static final ManualClock CLOCK = new ManualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));

    @Produces
    @Singleton
    @Alternative
    @Priority(1)
    StateTopic<TaskRecord> tasks() {
        return TASKS;
    }

    @Produces
    @Singleton
    @Alternative
    @Priority(1)
    StateTopic<DeviceReservation> reservations() {
        return RESERVATIONS;
    }

    /** The fleet in memory, without load reports: placements on declarations and in-flight counts. */
    @Produces
    @Singleton
    @Alternative
    @Priority(1)
    FleetViews fleets() {
        return new FleetViews(FLEET.state(), new TaskServiceTest.NoLoad());
    }

    @Produces
    @Singleton
    @Alternative
    @Priority(1)
    EventPublisher publisher() {
        return PUBLISHED;
    }

    @Produces
    @Singleton
    @Alternative
    @Priority(1)
    Clock clock() {
        return CLOCK;
    }

    /** The queries' tokens: the test key pair's public half. */
    public static class Keys implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            return Map.of("mp.jwt.verify.publickey.location", TestTokens.publicKeyFile().toString());
        }

        @Override
        public void stop() {
        }
    }
}
