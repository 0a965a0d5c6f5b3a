package io.autoglm.fleet.events.device;

import java.time.Instant;
import java.util.Objects;

/** Payload of {@code io.autoglm.device.deregistered}; the registry holds a tombstone for the id. */
public record DeviceDeregistered(String requestId, String deviceId, String tenant, String reason, Instant deregisteredAt) {
    public DeviceDeregistered {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(tenant, "tenant");
    }
}
