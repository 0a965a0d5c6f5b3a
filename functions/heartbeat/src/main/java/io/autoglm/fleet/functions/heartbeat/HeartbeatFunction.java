package io.autoglm.fleet.functions.heartbeat;

import io.autoglm.fleet.events.EventPublisher;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.EventTypeNames;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.events.Rejection;
import io.autoglm.fleet.events.device.DeviceHeartbeat;
import io.autoglm.fleet.events.device.DeviceRecord;
import io.autoglm.fleet.events.device.DeviceStatusChanged;
import io.autoglm.fleet.events.device.LivenessDeadline;
import io.autoglm.fleet.events.validation.InvalidEventException;
import io.autoglm.fleet.functions.runtime.Replies;
import io.autoglm.fleet.liveness.LivenessEvaluator;
import io.autoglm.fleet.liveness.LivenessVerdict;
import io.autoglm.fleet.state.StateTable;
import io.autoglm.fleet.state.FleetState;
import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEvent;
import io.quarkus.funqy.knative.events.CloudEventMapping;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Heartbeat evaluation: keeps every device's liveness and announces transitions only.
 *
 * <ul>
 * <li>{@code io.autoglm.device.heartbeat} -> {@code io.autoglm.device.status.changed} on a transition
 * (first heartbeat, or back ONLINE after the hysteresis), no reply otherwise (HTTP 204), or
 * {@code io.autoglm.device.heartbeat.rejected} for a device the registry does not know.</li>
 * <li>{@code io.autoglm.device.liveness.deadline} (its own timers, Pulsar delayed messages) ->
 * {@code io.autoglm.device.status.changed} when the device went SUSPECT or OFFLINE, else no reply.</li>
 * </ul>
 * Each transition is also recorded in the tenant's compacted liveness topic, which is where a restarted
 * instance (or one scaled from zero) gets every device's status back before it evaluates anything of
 * that tenant, and what the router reads. See {@link LivenessEvaluator} for how few messages it writes.
 */
@Singleton
public class HeartbeatFunction {

    static final URI SOURCE = URI.create("/autoglm/functions/heartbeat");
    private static final Logger LOG = Logger.getLogger(HeartbeatFunction.class);

    @Inject
    LivenessEvaluator evaluator;

    @Inject
    FleetState fleet;

    @Inject
    EventPublisher publisher;

    @Inject
    Clock clock;

    private final Map<String, CompletableFuture<Tenant>> tenants = new ConcurrentHashMap<>();
    final LongAdder unknownDevices = new LongAdder();

    /** A tenant's tables, once its recorded liveness has been restored into the evaluator. */
    private record Tenant(StateTable<DeviceRecord> registry, StateTable<DeviceStatusChanged> liveness) {
    }

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.DEVICE_HEARTBEAT)
    public Uni<CloudEvent<Object>> heartbeat(CloudEvent<DeviceHeartbeat> event) {
        String tenant = Replies.tenant(event);
        DeviceHeartbeat heartbeat = event.data();
        return Uni.createFrom().completionStage(() -> tenant(tenant).thenCompose(state -> registered(state, heartbeat.deviceId())
                .thenCompose(known -> {
                    if (!known) {
                        return unknown(state, event, heartbeat.deviceId());
                    }
                    LivenessVerdict verdict = evaluator.onHeartbeat(tenant, heartbeat, clock.millis());
                    return apply(state, verdict);
                })));
    }

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.DEVICE_LIVENESS_DEADLINE)
    public Uni<CloudEvent<Object>> deadline(CloudEvent<LivenessDeadline> event) {
        LivenessDeadline deadline = event.data();
        String tenant = Replies.tenant(event);
        if (!deadline.tenant().equals(tenant)) {
            throw new InvalidEventException(List.of(new Problem("data.tenant", "data.tenant '" + deadline.tenant()
                    + "' does not match the event's tenant '" + tenant + "'")));
        }
        return Uni.createFrom().completionStage(() -> tenant(tenant).thenCompose(state -> registered(state, deadline.deviceId())
                .thenCompose(known -> {
                    if (!known) {
                        return forget(state, deadline.deviceId()).thenApply(done -> (CloudEvent<Object>) null);
                    }
                    return apply(state, evaluator.onDeadline(deadline, clock.millis()));
                })));
    }

    /** Writes what the verdict calls for: the next deadline, the transition's record; the transition is the reply. */
    private CompletableFuture<CloudEvent<Object>> apply(Tenant state, LivenessVerdict verdict) {
        CompletableFuture<Void> scheduled = verdict.nextDeadline().map(this::schedule).orElse(CompletableFuture.completedFuture(null));
        Optional<DeviceStatusChanged> change = verdict.statusChange();
        if (change.isEmpty()) {
            return scheduled.thenApply(done -> (CloudEvent<Object>) null);
        }
        DeviceStatusChanged transition = change.get();
        LOG.debugf("%s/%s %s -> %s: %s", transition.tenant(), transition.deviceId(), transition.previous(), transition.current(),
                transition.reason());
        return scheduled.thenCombine(state.liveness().put(transition.deviceId(), transition), (a, b) -> Replies.<Object>reply(
                EventType.DEVICE_STATUS_CHANGED, transition, transition.tenant(), transition.deviceId()));
    }

    private CompletableFuture<Void> schedule(LivenessDeadline deadline) {
        io.cloudevents.CloudEvent timer = Events.newEvent(EventType.DEVICE_LIVENESS_DEADLINE, SOURCE, deadline.tenant(), deadline.deviceId(),
                deadline).build();
        return publisher.publishAt(timer, deadline.dueAt()).whenComplete((done, failure) -> {
            if (failure != null) {
                evaluator.deadlineNotScheduled(deadline);
            }
        });
    }

    private CompletableFuture<Boolean> registered(Tenant state, String deviceId) {
        if (state.registry().get(deviceId).isPresent()) {
            return CompletableFuture.completedFuture(true);
        }
        return state.registry().getLatest(deviceId).thenApply(Optional::isPresent);
    }

    private CompletableFuture<CloudEvent<Object>> unknown(Tenant state, CloudEvent<DeviceHeartbeat> event, String deviceId) {
        unknownDevices.increment();
        Rejection rejection = new Rejection(event.id(), event.type(), deviceId, List.of(new Problem("data.deviceId", "device " + deviceId
                + " is not registered in tenant " + state.registry().tenant() + ": register it before sending heartbeats")));
        return forget(state, deviceId).thenApply(done -> Replies.<Object>reply(EventType.DEVICE_HEARTBEAT_REJECTED, rejection,
                state.registry().tenant(), deviceId));
    }

    /** A device the registry no longer has: stop tracking it and drop its recorded status. */
    private CompletableFuture<Void> forget(Tenant state, String deviceId) {
        boolean tracked = evaluator.statusOf(state.registry().tenant(), deviceId) != null || state.liveness().get(deviceId).isPresent();
        evaluator.forget(state.registry().tenant(), deviceId);
        return tracked ? state.liveness().remove(deviceId) : CompletableFuture.completedFuture(null);
    }

    private CompletableFuture<Tenant> tenant(String tenant) {
        CompletableFuture<Tenant> opened = tenants.computeIfAbsent(tenant, t -> fleet.registry().table(t).thenCombine(fleet.liveness().table(t),
                (devices, recorded) -> {
                    recorded.forEach((deviceId, transition) -> evaluator.restore(transition));
                    LOG.infof("tenant %s: %d registered devices, liveness of %d restored", t, devices.size(), recorded.size());
                    return new Tenant(devices, recorded);
                }));
        if (opened.isCompletedExceptionally()) {
            tenants.remove(tenant, opened);
        }
        return opened;
    }
}
