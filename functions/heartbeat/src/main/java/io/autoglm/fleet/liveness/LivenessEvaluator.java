package io.autoglm.fleet.liveness;

import io.autoglm.fleet.events.device.DeviceHeartbeat;
import io.autoglm.fleet.events.device.DeviceStatusChanged;
import io.autoglm.fleet.events.device.LivenessDeadline;
import io.autoglm.fleet.events.device.LivenessStatus;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Decides every device's liveness from its heartbeats and from the deadlines it schedules for itself,
 * with no timer of its own: a deadline is a Pulsar delayed message that comes back to the function.
 *
 * <h2>How few messages it writes (target: at most 1.5 per heartbeat, deadlines included)</h2>
 * A heartbeat does not schedule a deadline when one is already outstanding for the device; it only moves
 * the device's "last heard" time. When the outstanding deadline fires it compares that time with the
 * policy: if the device was heard from recently enough, it schedules the next check at
 * {@code last heard + SUSPECT gap} and nothing else happens. So a live device costs one deadline per
 * SUSPECT gap (about 2 s by default), i.e. about 0.5 messages per heartbeat at a 1 s interval, however
 * often it beats; status records and replies are written only on transitions. Detection is not delayed
 * by this: the check is always due exactly one SUSPECT gap after the last heartbeat.
 *
 * <p>Each device has at most one live deadline: a fired deadline that is not the one the evaluator
 * scheduled (a duplicate delivery, or one left by a previous instance after this one scheduled its own)
 * is ignored. A deadline that finds no live one recorded (this instance restarted) is adopted.
 *
 * <h2>Restarts and scale to zero</h2>
 * {@link #restore} seeds each device from its last recorded transition (the compacted liveness topic).
 * A restored device counts as heard from when this instance started, so the heartbeats that queued up
 * while no instance ran are not mistaken for silence; a device that really is gone is suspected one
 * SUSPECT gap after the start.
 *
 * <h2>A late pipeline is not a late device</h2>
 * Deadlines and heartbeats reach this function by different paths; when the heartbeat path backs up (a
 * dispatcher behind, a cold start draining a backlog) every heartbeat arrives late while the deadlines do
 * not. Each heartbeat's transit (arrival - its {@code sentAt}) above the device's own fastest one is time it
 * spent in the pipeline; the tenant's recent average of that is its pipeline lag, and every threshold is
 * extended by it. Device clocks need not agree with this one: each device's offset is in its floor.
 *
 * <h2>A silent feed is not a silent fleet</h2>
 * When nobody in a tenant with at least {@value #STALL_MIN_ONLINE} ONLINE devices has been heard for a whole
 * interval, it is most likely the heartbeat pipeline that stalled (a dispatcher restarting, a pause of this process),
 * not every device at once: a deadline that fires then is postponed to the policy's longest timeout
 * ({@code timeout * maxStretch}) after the device's last heartbeat instead of changing status (one extra
 * deadline per device and stall, so an overloaded pipeline is not loaded further). A device heard from
 * meanwhile carries on as usual; a tenant that really went dark as a whole is still declared OFFLINE, later.
 *
 * <p>Thread-safe: devices are independent, each guarded by its own monitor.
 */
public final class LivenessEvaluator {

    /** ONLINE devices a tenant needs before its silence counts as a stalled feed rather than devices gone. */
    static final int STALL_MIN_ONLINE = 3;
    /** Weight of each heartbeat in its tenant's pipeline-lag average (about the last 20 heartbeats count). */
    static final double LAG_SMOOTHING = 0.05;

    private final Function<String, LivenessPolicy> policies;
    private final long startedAtMillis;
    private final Map<String, Tenant> tenants = new ConcurrentHashMap<>();
    private final Counters counters = new Counters();
    private final TransitionListener transitions;

    /**
     * @param policies        the liveness policy of each tenant
     * @param startedAtMillis when this instance started, the grace point for restored devices
     */
    public LivenessEvaluator(Function<String, LivenessPolicy> policies, long startedAtMillis) {
        this(policies, startedAtMillis, TransitionListener.NONE);
    }

    /** @param transitions hears of each transition as it is decided (under the device's lock: it must be quick) */
    public LivenessEvaluator(Function<String, LivenessPolicy> policies, long startedAtMillis, TransitionListener transitions) {
        this.policies = Objects.requireNonNull(policies, "policies");
        this.startedAtMillis = startedAtMillis;
        this.transitions = Objects.requireNonNull(transitions, "transitions");
    }

    /** A heartbeat of a registered device of {@code tenant}, arrived at {@code nowMillis}. */
    public LivenessVerdict onHeartbeat(String tenant, DeviceHeartbeat heartbeat, long nowMillis) {
        Tenant state = tenant(tenant);
        LivenessPolicy.Thresholds policy = state.thresholds;
        DeviceLiveness device = state.devices.computeIfAbsent(heartbeat.deviceId(), id -> state.newDevice());
        long sentAtMillis = heartbeat.sentAt().toEpochMilli();
        synchronized (device) {
            if (heartbeat.seq() <= device.lastSeq && !restartedCounter(device, heartbeat, sentAtMillis, policy)) {
                boolean duplicate = heartbeat.seq() == device.lastSeq;
                (duplicate ? counters.duplicates : counters.outOfOrder).increment();
                if (duplicate && device.transitionOfLastSeq != null && device.transitionOfLastSeq.current() == device.status) {
                    // a redelivery of the heartbeat that changed the status (the dispatcher retries when an answer is lost
                    // or late): announce the change again, or nobody ever hears of it; the state record is rewritten as is
                    device.unannounced = null;
                    return new LivenessVerdict(LivenessVerdict.Kind.DUPLICATE, device.transitionOfLastSeq, null);
                }
                return duplicate ? LivenessVerdict.DUPLICATE_IGNORED : LivenessVerdict.OUT_OF_ORDER_IGNORED;
            }
            counters.heartbeats.increment();
            state.lastArrivalMillis = Math.max(state.lastArrivalMillis, nowMillis);
            state.observeLag(device.excessTransit(nowMillis - sentAtMillis));
            LivenessStatus before = device.status;
            long previousArrival = device.lastArrivalMillis;
            long gap = previousArrival == DeviceLiveness.NONE || device.arrivalIsGrace ? -1 : nowMillis - previousArrival;
            boolean timely = gap >= 0 && gap <= policy.suspectAfter(device.meanGapMs, device.gapVariance);
            if (gap >= 0 && before != LivenessStatus.OFFLINE && gap <= policy.maxTimeoutMs()) {
                device.addGap(gap);
            }
            device.arrivalIsGrace = false;
            device.lastSeq = heartbeat.seq();
            device.lastSentAtMillis = sentAtMillis;
            device.lastArrivalMillis = nowMillis;

            DeviceStatusChanged transition = null;
            if (before == null) {
                transition = change(tenant, heartbeat.deviceId(), device, null, LivenessStatus.ONLINE, "first heartbeat", nowMillis);
            } else if (before != LivenessStatus.ONLINE) {
                device.timelyHeartbeats = timely ? device.timelyHeartbeats + 1 : 1;
                if (device.timelyHeartbeats >= policy.recoveryHeartbeats()) {
                    transition = change(tenant, heartbeat.deviceId(), device, before, LivenessStatus.ONLINE, policy.recoveryHeartbeats()
                            + " consecutive heartbeats on time after " + before, nowMillis);
                }
            }
            DeviceStatusChanged repeated = null;
            if (transition == null && device.unannounced != null && device.unannounced.current() == device.status) {
                // the answer that carried the current status reached nobody: this heartbeat's answer carries it again
                repeated = device.unannounced;
                counters.reannounced.increment();
            }
            device.unannounced = null;
            device.transitionOfLastSeq = transition != null ? transition : repeated;
            LivenessDeadline deadline = null;
            if (!device.armed() && device.status != LivenessStatus.OFFLINE) {
                deadline = arm(tenant, heartbeat.deviceId(), device, policy, state.lagMillis());
            }
            if (transition == null && deadline == null && repeated == null) {
                return LivenessVerdict.ACCEPTED_QUIETLY;
            }
            LivenessVerdict verdict = record(new LivenessVerdict(LivenessVerdict.Kind.ACCEPTED, transition, deadline));
            return repeated == null ? verdict : new LivenessVerdict(LivenessVerdict.Kind.ACCEPTED, repeated, deadline);
        }
    }

    /** A deadline this function scheduled has come back, at {@code nowMillis}. */
    public LivenessVerdict onDeadline(LivenessDeadline fired, long nowMillis) {
        counters.deadlinesFired.increment();
        Tenant state = tenant(fired.tenant());
        LivenessPolicy.Thresholds policy = state.thresholds;
        DeviceLiveness device = state.devices.get(fired.deviceId());
        if (device == null) {
            return LivenessVerdict.IDLE_ENDED;
        }
        synchronized (device) {
            DeviceStatusChanged caused = device.transitionOfLastDeadline;
            if (caused != null && caused.current() == device.status && device.lastExpiredDueMillis == fired.dueAt().toEpochMilli()
                    && device.lastExpiredStage == fired.stage()) {
                // a redelivery of the deadline that changed the status (its answer was lost or late): announce it again
                device.unannounced = null;
                counters.reannounced.increment();
                return new LivenessVerdict(LivenessVerdict.Kind.EXPIRED, caused, null);
            }
            if (device.armed() && (device.armedDueMillis != fired.dueAt().toEpochMilli() || device.armedStage != fired.stage())) {
                counters.superseded.increment();
                return LivenessVerdict.SUPERSEDED_IGNORED;
            }
            device.armedDueMillis = DeviceLiveness.NONE;
            device.armedStage = null;
            if (device.status == null || device.status == LivenessStatus.OFFLINE || !device.hasHeartbeat()) {
                return LivenessVerdict.IDLE_ENDED;
            }
            long lag = state.lagMillis();
            long silence = nowMillis - device.lastArrivalMillis;
            if (state.feedStalled(nowMillis) && silence < policy.maxTimeoutMs() + lag) {
                counters.postponed.increment();
                long bound = device.lastArrivalMillis + (long) policy.maxTimeoutMs() + lag;
                return record(new LivenessVerdict(LivenessVerdict.Kind.ON_TIME, null, arm(fired.tenant(), fired.deviceId(), device,
                        Math.max(bound, nowMillis + (long) policy.intervalMs()), device.armedStageFor())));
            }
            if (device.status == LivenessStatus.ONLINE) {
                long suspectAfter = policy.suspectAfter(device.meanGapMs, device.gapVariance) + lag;
                if (silence < suspectAfter) {
                    return record(new LivenessVerdict(LivenessVerdict.Kind.ON_TIME, null, arm(fired.tenant(), fired.deviceId(), device, policy, lag)));
                }
                DeviceStatusChanged suspect = change(fired.tenant(), fired.deviceId(), device, LivenessStatus.ONLINE, LivenessStatus.SUSPECT,
                        silenceReason(silence, device, "suspect", suspectAfter, lag), nowMillis);
                device.causedBy(fired, suspect);
                return record(new LivenessVerdict(LivenessVerdict.Kind.EXPIRED, suspect, arm(fired.tenant(), fired.deviceId(), device, policy, lag)));
            }
            long offlineAfter = policy.offlineAfter(device.meanGapMs, device.gapVariance) + lag;
            if (silence < offlineAfter) {
                return record(new LivenessVerdict(LivenessVerdict.Kind.ON_TIME, null, arm(fired.tenant(), fired.deviceId(), device, policy, lag)));
            }
            DeviceStatusChanged offline = change(fired.tenant(), fired.deviceId(), device, LivenessStatus.SUSPECT, LivenessStatus.OFFLINE,
                    silenceReason(silence, device, "offline", offlineAfter, lag), nowMillis);
            device.causedBy(fired, offline);
            return record(new LivenessVerdict(LivenessVerdict.Kind.EXPIRED, offline, null));
        }
    }

    /**
     * Seeds a device from its last recorded transition, when the function starts. Devices this instance
     * has already heard from are left alone.
     */
    public void restore(DeviceStatusChanged recorded) {
        Tenant state = tenant(recorded.tenant());
        state.devices.computeIfAbsent(recorded.deviceId(), id -> {
            DeviceLiveness device = state.newDevice();
            device.status = recorded.current();
            device.lastSeq = recorded.lastHeartbeatSeq();
            device.lastSentAtMillis = recorded.lastHeartbeatAt() == null ? DeviceLiveness.NONE : recorded.lastHeartbeatAt().toEpochMilli();
            device.lastArrivalMillis = startedAtMillis;
            device.arrivalIsGrace = true;
            state.countOnline(null, device.status);
            return device;
        });
    }

    /**
     * The deadline of {@code verdict} could not be scheduled (the broker refused it): forget it, so the
     * device's next heartbeat schedules a new one instead of the chain silently ending.
     */
    public void deadlineNotScheduled(LivenessDeadline deadline) {
        DeviceLiveness device = tenant(deadline.tenant()).devices.get(deadline.deviceId());
        if (device != null) {
            synchronized (device) {
                if (device.armedDueMillis == deadline.dueAt().toEpochMilli() && device.armedStage == deadline.stage()) {
                    device.armedDueMillis = DeviceLiveness.NONE;
                    device.armedStage = null;
                }
            }
        }
    }

    /**
     * The answer that carried {@code transition} reached nobody (the caller gave up waiting, the connection went):
     * while it is still the device's status, the device's next accepted heartbeat announces it again. Without this a
     * device whose first heartbeat was evaluated after the dispatcher had given up on it stayed ONLINE here, unannounced,
     * for as long as it kept beating (later heartbeats of an ONLINE device are quiet).
     */
    public void announcementLost(DeviceStatusChanged transition) {
        DeviceLiveness device = tenant(transition.tenant()).devices.get(transition.deviceId());
        if (device != null) {
            synchronized (device) {
                if (device.status == transition.current()) {
                    device.unannounced = transition;
                }
            }
        }
    }

    /** Stops tracking a device (deregistered): its next deadline ends the chain. */
    public void forget(String tenant, String deviceId) {
        Tenant state = tenant(tenant);
        DeviceLiveness device = state.devices.remove(deviceId);
        if (device != null) {
            synchronized (device) {
                state.countOnline(device.status, null);
            }
        }
    }

    /** The device's current status, if known. */
    public LivenessStatus statusOf(String tenant, String deviceId) {
        DeviceLiveness device = tenant(tenant).devices.get(deviceId);
        if (device == null) {
            return null;
        }
        synchronized (device) {
            return device.status;
        }
    }

    public Counters counters() {
        return counters;
    }

    private static boolean restartedCounter(DeviceLiveness device, DeviceHeartbeat heartbeat, long sentAtMillis,
                                            LivenessPolicy.Thresholds policy) {
        return heartbeat.seq() < device.lastSeq && device.lastSentAtMillis != DeviceLiveness.NONE
                && sentAtMillis >= device.lastSentAtMillis + policy.timeoutMs();
    }

    private LivenessDeadline arm(String tenant, String deviceId, DeviceLiveness device, LivenessPolicy.Thresholds policy, long lagMillis) {
        boolean online = device.status == LivenessStatus.ONLINE;
        long after = online ? policy.suspectAfter(device.meanGapMs, device.gapVariance) : policy.offlineAfter(device.meanGapMs, device.gapVariance);
        return arm(tenant, deviceId, device, device.lastArrivalMillis + after + lagMillis, device.armedStageFor());
    }

    private static LivenessDeadline arm(String tenant, String deviceId, DeviceLiveness device, long dueMillis, LivenessStatus stage) {
        device.armedDueMillis = dueMillis;
        device.armedStage = stage;
        return new LivenessDeadline(deviceId, tenant, device.lastSeq, stage, Instant.ofEpochMilli(dueMillis));
    }

    private DeviceStatusChanged change(String tenant, String deviceId, DeviceLiveness device, LivenessStatus from, LivenessStatus to,
                                       String reason, long nowMillis) {
        tenant(tenant).countOnline(from, to);
        device.status = to;
        device.timelyHeartbeats = 0;
        DeviceStatusChanged transition = new DeviceStatusChanged(deviceId, tenant, from, to, reason, device.lastSeq,
                device.lastSentAtMillis == DeviceLiveness.NONE ? null : Instant.ofEpochMilli(device.lastSentAtMillis),
                Instant.ofEpochMilli(nowMillis));
        transitions.transitioned(transition, device.hasHeartbeat() ? Math.max(0, nowMillis - device.lastArrivalMillis) : 0);
        return transition;
    }

    private static String silenceReason(long silenceMs, DeviceLiveness device, String stage, long thresholdMs, long lagMs) {
        return String.format(Locale.ROOT, "no heartbeat for %.1f s (gaps %.2f s +- %.2f s; %s after %.1f s%s)", silenceMs / 1000.0,
                device.meanGapMs / 1000.0, Math.sqrt(device.gapVariance) / 1000.0, stage, thresholdMs / 1000.0,
                lagMs > 0 ? String.format(Locale.ROOT, ", pipeline lag %.1f s included", lagMs / 1000.0) : "");
    }

    private LivenessVerdict record(LivenessVerdict verdict) {
        if (verdict.transition() != null) {
            counters.transitions.increment();
        }
        if (verdict.deadline() != null) {
            counters.deadlinesScheduled.increment();
        }
        return verdict;
    }

    private Tenant tenant(String tenant) {
        Tenant state = tenants.get(tenant);
        return state != null ? state : tenants.computeIfAbsent(tenant, t -> new Tenant(policies.apply(t).thresholds()));
    }

    /** One tenant's devices and policy, and when its feed last delivered a heartbeat. */
    private final class Tenant {
        final LivenessPolicy.Thresholds thresholds;
        final Map<String, DeviceLiveness> devices = new ConcurrentHashMap<>();
        final java.util.concurrent.atomic.AtomicInteger online = new java.util.concurrent.atomic.AtomicInteger();
        /** Written racily (a heartbeat of any device); only ever compared with a margin of an interval. */
        volatile long lastArrivalMillis;
        /** Recent average of heartbeats' time in the pipeline, in ms; updated racily (an estimate). */
        volatile double lagMs;

        Tenant(LivenessPolicy.Thresholds thresholds) {
            this.thresholds = thresholds;
            this.lastArrivalMillis = startedAtMillis;
        }

        void countOnline(LivenessStatus from, LivenessStatus to) {
            if (from != LivenessStatus.ONLINE && to == LivenessStatus.ONLINE) {
                online.incrementAndGet();
            } else if (from == LivenessStatus.ONLINE && to != LivenessStatus.ONLINE) {
                online.decrementAndGet();
            }
        }

        /** One heartbeat's time in the pipeline; capped at the longest timeout (a device clock stepping is not lag). */
        void observeLag(long excessTransitMs) {
            lagMs += LAG_SMOOTHING * (Math.min(excessTransitMs, thresholds.maxTimeoutMs()) - lagMs);
        }

        long lagMillis() {
            return (long) lagMs;
        }

        boolean feedStalled(long nowMillis) {
            return online.get() >= STALL_MIN_ONLINE && nowMillis - lastArrivalMillis > thresholds.intervalMs();
        }

        DeviceLiveness newDevice() {
            return new DeviceLiveness(thresholds.intervalMs(), thresholds.initialVariance());
        }
    }

    /** What the evaluator has seen and done since it started. */
    public static final class Counters {
        final LongAdder heartbeats = new LongAdder();
        final LongAdder duplicates = new LongAdder();
        final LongAdder outOfOrder = new LongAdder();
        final LongAdder deadlinesFired = new LongAdder();
        final LongAdder deadlinesScheduled = new LongAdder();
        final LongAdder superseded = new LongAdder();
        final LongAdder transitions = new LongAdder();
        final LongAdder postponed = new LongAdder();
        final LongAdder reannounced = new LongAdder();

        public long heartbeats() {
            return heartbeats.sum();
        }

        public long duplicates() {
            return duplicates.sum();
        }

        public long outOfOrder() {
            return outOfOrder.sum();
        }

        public long deadlinesFired() {
            return deadlinesFired.sum();
        }

        public long deadlinesScheduled() {
            return deadlinesScheduled.sum();
        }

        public long superseded() {
            return superseded.sum();
        }

        public long transitions() {
            return transitions.sum();
        }

        /** Deadlines postponed because the tenant's whole heartbeat feed was silent. */
        public long postponed() {
            return postponed.sum();
        }

        /** Statuses announced again by a later heartbeat because the answer that first carried them reached nobody. */
        public long reannounced() {
            return reannounced.sum();
        }

        /** Deadlines, status records and replies written per accepted heartbeat. */
        public double messagesPerHeartbeat() {
            long beats = heartbeats();
            return beats == 0 ? 0 : (deadlinesScheduled() + 2.0 * (transitions() + reannounced())) / beats;
        }
    }
}
