package io.autoglm.fleet.functions.heartbeat;

import io.autoglm.fleet.events.EventPublisher;
import io.autoglm.fleet.events.testing.ManualClock;
import io.autoglm.fleet.events.device.DeviceStatusChanged;
import io.autoglm.fleet.state.RegisteredDevice;
import io.autoglm.fleet.state.StateTable;
import io.autoglm.fleet.state.StateTopic;
import io.autoglm.fleet.state.testing.InMemoryStateTopic;
import io.autoglm.fleet.state.testing.RecordingPublisher;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** The function's state, timers and clock in memory, so its tests need no broker and control time. */
@Singleton
public class TestState {

    static final InMemoryStateTopic<RegisteredDevice> REGISTRY = new InMemoryStateTopic<>();
    static final InMemoryStateTopic<DeviceStatusChanged> LIVENESS = new InMemoryStateTopic<>();
    /** The timers the function scheduled. */
    static final RecordingPublisher TIMERS = new RecordingPublisher();
    static final ManualClock CLOCK = new ManualClock(Instant.parse("2026-11-21T13:05:00Z"));

    /** Tables open once this completes: a test holds it to keep a tenant's first heartbeats waiting, as on a cold start. */
    static volatile CompletableFuture<Void> tablesOpen = CompletableFuture.completedFuture(null);
    /** Tenants whose tables the function asked for. */
    static final Set<String> OPENING = ConcurrentHashMap.newKeySet();

    @Produces
    @Singleton
    @Alternative
    @Priority(1)
    StateTopic<RegisteredDevice> registry() {
        return new StateTopic<>() {
            @Override
            public CompletableFuture<StateTable<RegisteredDevice>> table(String tenant) {
                OPENING.add(tenant);
                return tablesOpen.thenCompose(open -> REGISTRY.table(tenant));
            }

            @Override
            public void close() {
            }
        };
    }

    @Produces
    @Singleton
    @Alternative
    @Priority(1)
    StateTopic<DeviceStatusChanged> liveness() {
        return LIVENESS;
    }

    @Produces
    @Singleton
    @Alternative
    @Priority(1)
    EventPublisher timers() {
        return TIMERS;
    }

    @Produces
    @Singleton
    @Alternative
    @Priority(1)
    Clock clock() {
        return CLOCK;
    }
}
