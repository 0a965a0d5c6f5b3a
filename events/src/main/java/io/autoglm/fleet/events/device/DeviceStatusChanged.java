package io.autoglm.fleet.events.device;

import java.time.Instant;
import java.util.Objects;

/**
 * Payload of {@code io.autoglm.device.status.changed}, emitted only on a transition.
 * {@code previous} is null for the first status a device gets.
 */
public record DeviceStatusChanged(
        String deviceId,
        String tenant,
        LivenessStatus previous,
        LivenessStatus current,
        String reason,
        long lastHeartbeatSeq,
        Instant lastHeartbeatAt,
        Instant changedAt) {

    public DeviceStatusChanged {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(reason, "reason");
    }
}
