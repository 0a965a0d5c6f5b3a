package io.autoglm.fleet.functions.router;

import io.autoglm.fleet.routing.views.HeartbeatFeed;
import io.autoglm.fleet.events.EventPublisher;
import io.autoglm.fleet.events.device.DeviceHeartbeat;
import io.autoglm.fleet.events.device.DeviceRecord;
import io.autoglm.fleet.events.device.DeviceStatusChanged;
import io.autoglm.fleet.state.FleetState;
import io.autoglm.fleet.state.testing.InMemoryFleetState;
import io.autoglm.fleet.state.testing.InMemoryStateTopic;
import io.autoglm.fleet.state.testing.RecordingPublisher;
import io.cloudevents.CloudEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/** The router's fleet state and outputs in memory, so its tests need no broker. */
@Singleton
public class TestFleet {

    static final InMemoryFleetState STATE = new InMemoryFleetState();
    static final InMemoryStateTopic<DeviceRecord> REGISTRY = STATE.registry;
    static final InMemoryStateTopic<DeviceStatusChanged> LIVENESS = STATE.liveness;
    /** Batches delivered to device command topics (each list was one transaction). */
    static final List<List<CloudEvent>> BATCHES = new CopyOnWriteArrayList<>();
    /** Single events delivered to device command topics. */
    static final List<CloudEvent> DELIVERED = new CopyOnWriteArrayList<>();
    /** Events published to their own topics (inference for the cloud tier). */
    static final RecordingPublisher PUBLISHER = new RecordingPublisher();
    static final List<CloudEvent> PUBLISHED = PUBLISHER.published;
    /** When set, the broker refuses the next transaction. */
    static final AtomicBoolean BROKER_DOWN = new AtomicBoolean();

    @Produces
    @Singleton
    @Alternative
    @Priority(1)
    FleetState state() {
        return STATE.state();
    }

    @Produces
    @Singleton
    @Alternative
    @Priority(1)
    EventPublisher publisher() {
        return PUBLISHER;
    }

    /** No load reports: the tests route on declarations and in-flight counts. */
    @Produces
    @Singleton
    @Alternative
    @Priority(1)
    HeartbeatFeed heartbeats() {
        return new HeartbeatFeed() {
            @Override
            public CompletableFuture<Void> follow(String tenant, Consumer<DeviceHeartbeat> listener) {
                return CompletableFuture.completedFuture(null);
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
    DeviceCommands commands() {
        return new DeviceCommands() {
            @Override
            public CompletableFuture<Void> deliver(CloudEvent event) {
                DELIVERED.add(event);
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletableFuture<Void> deliverAll(String tenant, List<CloudEvent> events) {
                if (BROKER_DOWN.getAndSet(false)) {
                    return CompletableFuture.failedFuture(new IllegalStateException("transaction aborted: the broker is unreachable"));
                }
                BATCHES.add(List.copyOf(events));
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void close() {
            }
        };
    }
}
