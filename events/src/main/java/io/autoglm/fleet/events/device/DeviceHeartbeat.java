package io.autoglm.fleet.events.device;

import java.time.Instant;
import java.util.Objects;

/**
 * Payload of {@code io.autoglm.device.heartbeat}. {@code seq} increases by one per heartbeat a
 * device sends; duplicates and older seqs are ignored. {@code rttMs} is the device's own
 * measurement of its last round trip. The tenant is the event's {@code tenant} extension.
 */
public record DeviceHeartbeat(String deviceId, long seq, Instant sentAt, DeviceLoad load, Battery battery, Double rttMs) {
    public DeviceHeartbeat {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(sentAt, "sentAt");
        Objects.requireNonNull(load, "load");
    }
}
