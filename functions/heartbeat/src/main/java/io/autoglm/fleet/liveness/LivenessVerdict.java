package io.autoglm.fleet.liveness;

import io.autoglm.fleet.events.device.DeviceStatusChanged;
import io.autoglm.fleet.events.device.LivenessDeadline;

import java.util.Objects;
import java.util.Optional;

/**
 * What a heartbeat or a fired deadline did: how it was taken, the status transition to announce (and
 * record) if any, and the deadline to schedule if any. Most heartbeats produce neither.
 */
public record LivenessVerdict(Kind kind, DeviceStatusChanged transition, LivenessDeadline deadline) {

    /** How an input was taken. */
    public enum Kind {
        /** A heartbeat newer than any seen from the device. */
        ACCEPTED,
        /**
         * A heartbeat with the seq of the last accepted one: ignored, but for the transition that heartbeat caused,
         * announced again (a retried delivery whose first answer was lost).
         */
        DUPLICATE,
        /** A heartbeat older than the last accepted one: ignored. */
        OUT_OF_ORDER,
        /** A deadline that found the device heard from in time: the next one is scheduled. */
        ON_TIME,
        /** A deadline that found the device silent for too long: it changed status. */
        EXPIRED,
        /** A deadline that is not the device's live one (a newer one replaced it, or a copy was delivered twice): ignored. */
        SUPERSEDED,
        /** A deadline for a device that needs none (OFFLINE, or not tracked): the chain ends. */
        IDLE
    }

    static final LivenessVerdict ACCEPTED_QUIETLY = new LivenessVerdict(Kind.ACCEPTED, null, null);
    static final LivenessVerdict DUPLICATE_IGNORED = new LivenessVerdict(Kind.DUPLICATE, null, null);
    static final LivenessVerdict OUT_OF_ORDER_IGNORED = new LivenessVerdict(Kind.OUT_OF_ORDER, null, null);
    static final LivenessVerdict SUPERSEDED_IGNORED = new LivenessVerdict(Kind.SUPERSEDED, null, null);
    static final LivenessVerdict IDLE_ENDED = new LivenessVerdict(Kind.IDLE, null, null);

    public LivenessVerdict {
        Objects.requireNonNull(kind, "kind");
    }

    public Optional<DeviceStatusChanged> statusChange() {
        return Optional.ofNullable(transition);
    }

    public Optional<LivenessDeadline> nextDeadline() {
        return Optional.ofNullable(deadline);
    }

    /** Messages this verdict makes the function write: a deadline, and per transition the state record and the reply. */
    public int messagesWritten() {
        return (deadline == null ? 0 : 1) + (transition == null ? 0 : 2);
    }
}
