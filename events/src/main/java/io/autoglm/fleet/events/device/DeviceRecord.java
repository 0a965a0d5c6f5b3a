package io.autoglm.fleet.events.device;

import java.time.Instant;
import java.util.Objects;

/**
 * A registered device as the registry keeps it (value of the compacted registry topic, keyed by
 * {@code deviceId}). {@code generation} starts at 1 and grows each time the declaration changes;
 * {@code fingerprintDigest} is the hash the id was derived from, never the raw inputs.
 */
public record DeviceRecord(
        String deviceId,
        String tenant,
        long generation,
        DeviceCapabilities capabilities,
        String fingerprintDigest,
        Instant registeredAt,
        Instant updatedAt) {

    public DeviceRecord {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(capabilities, "capabilities");
    }
}
