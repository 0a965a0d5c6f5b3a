package io.autoglm.fleet.functions.heartbeat;

import io.autoglm.fleet.events.EventPublisher;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.events.Rejection;
import io.autoglm.fleet.events.device.DeviceHeartbeat;
import io.autoglm.fleet.events.device.DeviceStatusChanged;
import io.autoglm.fleet.events.device.LivenessDeadline;
import io.autoglm.fleet.events.validation.InvalidEventException;
import io.autoglm.fleet.liveness.LivenessEvaluator;
import io.autoglm.fleet.liveness.LivenessVerdict;
import io.autoglm.fleet.state.PerTenant;
import io.autoglm.fleet.state.RegisteredDevice;
import io.autoglm.fleet.state.Reply;
import io.autoglm.fleet.state.StateTable;
import io.autoglm.fleet.state.StateTopic;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the heartbeat function does with heartbeats and its own deadlines, independent of HTTP: the
 * {@link LivenessEvaluator}'s verdicts, the registry check, the deadlines scheduled as delayed messages, and
 * the transitions recorded in the tenant's liveness table. Before it evaluates anything of a tenant it
 * restores the tenant's recorded liveness (restart, scale from zero). Replies are status changes only (or a
 * rejection of an unknown device); null means no reply. {@link HeartbeatFunction} is its Funqy shell.
 */
public final class HeartbeatService {

    static final URI SOURCE = URI.create("/autoglm/functions/heartbeat");
    private static final System.Logger LOG = System.getLogger(HeartbeatService.class.getName());

    private final LivenessEvaluator evaluator;
    private final StateTopic<RegisteredDevice> registry;
    private final StateTopic<DeviceStatusChanged> liveness;
    private final EventPublisher timers;
    private final Clock clock;
    private final PerTenant<Tenant> tenants = new PerTenant<>(this::open);
    private final LongAdder unknownDevices = new LongAdder();
    private final LongAdder answersLost = new LongAdder();
    private final LongAdder callersGone = new LongAdder();

    /** A tenant's tables, once its recorded liveness has been restored into the evaluator. */
    private record Tenant(StateTable<RegisteredDevice> registry, StateTable<DeviceStatusChanged> liveness) {
    }

    /**
     * @param registry which devices exist (the registry topic read for membership only)
     * @param liveness each device's last transition, which this function writes and restores from
     * @param timers   where deadlines are scheduled ({@link EventPublisher#publishAt})
     */
    public HeartbeatService(LivenessEvaluator evaluator, StateTopic<RegisteredDevice> registry, StateTopic<DeviceStatusChanged> liveness,
                            EventPublisher timers, Clock clock) {
        this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.liveness = Objects.requireNonNull(liveness, "liveness");
        this.timers = Objects.requireNonNull(timers, "timers");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A heartbeat (event {@code eventId}) of {@code tenant}. */
    public CompletableFuture<Reply> heartbeat(String eventId, String tenant, DeviceHeartbeat heartbeat) {
        return tenant(tenant).thenCompose(state -> registered(state, heartbeat.deviceId()).thenCompose(known -> {
            if (!known) {
                return unknown(state, eventId, heartbeat.deviceId());
            }
            return apply(state, evaluator.onHeartbeat(tenant, heartbeat, clock.millis()));
        }));
    }

    /** One of this function's deadlines, delivered back, with the event's {@code tenant}. */
    public CompletableFuture<Reply> deadline(String tenant, LivenessDeadline deadline) {
        if (!deadline.tenant().equals(tenant)) {
            throw new InvalidEventException(List.of(new Problem("data.tenant", "data.tenant '" + deadline.tenant()
                    + "' does not match the event's tenant '" + tenant + "'")));
        }
        return tenant(tenant).thenCompose(state -> registered(state, deadline.deviceId()).thenCompose(known -> {
            if (!known) {
                return forget(state, deadline.deviceId()).thenApply(done -> (Reply) null);
            }
            return apply(state, evaluator.onDeadline(deadline, clock.millis()));
        }));
    }

    /**
     * Opens the tables of {@code tenant} now, ahead of its first heartbeat (a tenant whose registry has just appeared),
     * so that its first heartbeats wait for nothing; completes when they are open. Nothing happens for an open tenant.
     */
    public CompletableFuture<Void> openAhead(String tenant) {
        return tenant(tenant).thenApply(opened -> null);
    }

    /**
     * The answer {@code reply} reached nobody (the caller had given up, its connection closed): a status change it
     * carried is announced again with the device's next heartbeat.
     */
    public void answerLost(Reply reply) {
        if (reply != null && reply.type() == EventType.DEVICE_STATUS_CHANGED) {
            answersLost.increment();
            evaluator.announcementLost((DeviceStatusChanged) reply.payload());
        }
    }

    /** Status changes whose answer reached nobody. */
    public long answersLost() {
        return answersLost.sum();
    }

    /** A caller hung up before its answer was written (the dispatcher timed out), whatever the answer would have been. */
    public void callerGone() {
        callersGone.increment();
    }

    /** Requests whose caller hung up before the answer. */
    public long callersGone() {
        return callersGone.sum();
    }

    public LivenessEvaluator evaluator() {
        return evaluator;
    }

    /** Heartbeats rejected because the registry does not know the device. */
    public long unknownDevices() {
        return unknownDevices.sum();
    }

    /** Writes what the verdict calls for: the next deadline, the transition's record; the transition is the reply. */
    private CompletableFuture<Reply> apply(Tenant state, LivenessVerdict verdict) {
        CompletableFuture<Void> scheduled = verdict.nextDeadline().map(this::schedule).orElse(CompletableFuture.completedFuture(null));
        Optional<DeviceStatusChanged> change = verdict.statusChange();
        if (change.isEmpty()) {
            return scheduled.thenApply(done -> null);
        }
        DeviceStatusChanged transition = change.get();
        LOG.log(System.Logger.Level.DEBUG, "{0}/{1} {2} -> {3}: {4}", transition.tenant(), transition.deviceId(), transition.previous(),
                transition.current(), transition.reason());
        return scheduled.thenCombine(state.liveness().put(transition.deviceId(), transition),
                (a, b) -> new Reply(EventType.DEVICE_STATUS_CHANGED, transition, transition.tenant(), transition.deviceId()));
    }

    private CompletableFuture<Void> schedule(LivenessDeadline deadline) {
        io.cloudevents.CloudEvent timer = Events.newEvent(EventType.DEVICE_LIVENESS_DEADLINE, SOURCE, deadline.tenant(), deadline.deviceId(),
                deadline).build();
        return timers.publishAt(timer, deadline.dueAt()).whenComplete((done, failure) -> {
            if (failure != null) {
                evaluator.deadlineNotScheduled(deadline);
            }
        });
    }

    private static CompletableFuture<Boolean> registered(Tenant state, String deviceId) {
        if (state.registry().get(deviceId).isPresent()) {
            return CompletableFuture.completedFuture(true);
        }
        return state.registry().getLatest(deviceId).thenApply(Optional::isPresent);
    }

    private CompletableFuture<Reply> unknown(Tenant state, String eventId, String deviceId) {
        unknownDevices.increment();
        String tenant = state.registry().tenant();
        Rejection rejection = new Rejection(eventId, EventType.DEVICE_HEARTBEAT.type(), deviceId, List.of(new Problem("data.deviceId",
                "device " + deviceId + " is not registered in tenant " + tenant + ": register it before sending heartbeats")));
        return forget(state, deviceId).thenApply(done -> new Reply(EventType.DEVICE_HEARTBEAT_REJECTED, rejection, tenant, deviceId));
    }

    /** A device the registry no longer has: stop tracking it and drop its recorded status. */
    private CompletableFuture<Void> forget(Tenant state, String deviceId) {
        String tenant = state.registry().tenant();
        boolean tracked = evaluator.statusOf(tenant, deviceId) != null || state.liveness().get(deviceId).isPresent();
        evaluator.forget(tenant, deviceId);
        return tracked ? state.liveness().remove(deviceId) : CompletableFuture.completedFuture(null);
    }

    /**
     * The tenant's tables, opened ahead ({@link #openAhead}) or on its first heartbeat or deadline: both readers, the liveness writer and the
     * deadline writer at once, so that the first answers wait for the slowest of them rather than for each in turn.
     */
    private CompletableFuture<Tenant> tenant(String tenant) {
        return tenants.of(tenant);
    }

    private CompletableFuture<Tenant> open(String tenant) {
        long started = System.nanoTime();
        timers.prepare(tenant, EventType.DEVICE_LIVENESS_DEADLINE);
        return registry.table(tenant).thenCombine(liveness.table(tenant), (devices, recorded) -> {
            recorded.forEach((deviceId, transition) -> evaluator.restore(transition));
            LOG.log(System.Logger.Level.INFO, "tenant {0}: {1} registered devices, liveness of {2} restored, in {3} ms", tenant, devices.size(),
                    recorded.size(), (System.nanoTime() - started) / 1_000_000);
            return new Tenant(devices, recorded);
        });
    }
}
