package io.autoglm.fleet.liveness;

import io.autoglm.fleet.events.device.DeviceStatusChanged;

/**
 * Hears of each status transition the {@link LivenessEvaluator} decides, once (an announcement repeated for a lost
 * answer is not a transition), with how long the device had been silent: for a SUSPECT or OFFLINE verdict, the
 * detection delay from the last heartbeat's arrival.
 */
@FunctionalInterface
public interface TransitionListener {

    /** Hears nothing. */
    TransitionListener NONE = (transition, silentMillis) -> { };

    /** @param silentMillis since the device's last heartbeat arrived (or since this instance started, for a restored device) */
    void transitioned(DeviceStatusChanged transition, long silentMillis);
}
