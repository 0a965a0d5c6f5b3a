package io.autoglm.fleet.liveness;

import io.autoglm.fleet.events.device.DeviceStatusChanged;
import io.autoglm.fleet.events.device.LivenessDeadline;
import io.autoglm.fleet.events.device.LivenessStatus;

/**
 * What the evaluator keeps per device: status, the last accepted heartbeat, the running gap statistics,
 * hysteresis progress and the one deadline it has outstanding. Mutable, guarded by its own monitor;
 * about 100 bytes, so a function holds hundreds of thousands.
 */
final class DeviceLiveness {

    static final long NONE = Long.MIN_VALUE;

    /** Null until the device's first heartbeat (or its last recorded transition) is known. */
    LivenessStatus status;
    long lastSeq = -1;
    /**
     * The transition the heartbeat {@code lastSeq} caused, if it caused one: a copy of that heartbeat (a retried
     * delivery whose first answer was lost) announces it again rather than nothing.
     */
    DeviceStatusChanged transitionOfLastSeq;
    /**
     * The device's current status, whose announcement reached nobody (the caller had given up on the answer that
     * carried it): the next accepted heartbeat announces it again. Null once announced.
     */
    DeviceStatusChanged unannounced;
    /**
     * The transition the deadline due at {@code lastExpiredDueMillis} for {@code lastExpiredStage} caused: a redelivered
     * copy of that deadline (its answer was lost) announces it again instead of being ignored as superseded or idle.
     */
    DeviceStatusChanged transitionOfLastDeadline;
    long lastExpiredDueMillis = NONE;
    LivenessStatus lastExpiredStage;
    long lastSentAtMillis = NONE;
    /** When the last accepted heartbeat arrived here; after a restart, the restart (a grace period). */
    long lastArrivalMillis = NONE;
    /** The last arrival is the instance's start, not a heartbeat: the next gap is not a sample. */
    boolean arrivalIsGrace;
    /**
     * The shortest transit (arrival - sentAt) seen from this device: its clock offset plus the fastest delivery.
     * Transit above it is time the heartbeat spent in the pipeline.
     */
    long transitFloorMs = NONE;
    double meanGapMs;
    double gapVariance;
    int timelyHeartbeats;
    /** Due time of the outstanding deadline, or {@link #NONE}. */
    long armedDueMillis = NONE;
    LivenessStatus armedStage;

    DeviceLiveness(double initialMeanMs, double initialVariance) {
        this.meanGapMs = initialMeanMs;
        this.gapVariance = initialVariance;
    }

    void causedBy(LivenessDeadline deadline, DeviceStatusChanged transition) {
        transitionOfLastDeadline = transition;
        lastExpiredDueMillis = deadline.dueAt().toEpochMilli();
        lastExpiredStage = deadline.stage();
    }

    boolean hasHeartbeat() {
        return lastArrivalMillis != NONE;
    }

    boolean armed() {
        return armedDueMillis != NONE;
    }

    /** The stage a deadline armed now moves towards: SUSPECT from ONLINE, else OFFLINE. */
    LivenessStatus armedStageFor() {
        return status == LivenessStatus.ONLINE ? LivenessStatus.SUSPECT : LivenessStatus.OFFLINE;
    }

    /**
     * How long this heartbeat took beyond the device's fastest one ({@code transitMs} = arrival - sentAt); the
     * floor creeps up 1 ms per heartbeat, so a drifting device clock does not pin it.
     */
    long excessTransit(long transitMs) {
        if (transitFloorMs == NONE || transitMs < transitFloorMs) {
            transitFloorMs = transitMs;
            return 0;
        }
        transitFloorMs++;
        return transitMs - transitFloorMs;
    }

    /** West's / Finch's incremental exponentially weighted mean and variance of the arrival gaps. */
    void addGap(double gapMs) {
        double delta = gapMs - meanGapMs;
        meanGapMs += LivenessPolicy.SMOOTHING * delta;
        gapVariance = (1 - LivenessPolicy.SMOOTHING) * (gapVariance + LivenessPolicy.SMOOTHING * delta * delta);
    }
}
