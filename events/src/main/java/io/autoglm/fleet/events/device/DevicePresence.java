package io.autoglm.fleet.events.device;

import java.time.Instant;
import java.util.Objects;

/**
 * Payload of {@code io.autoglm.device.connected} / {@code device.disconnected}, and the row of the
 * tenant's compacted presence table: which gateway replica holds the device's socket. {@code reason}
 * says why a connection ended (closed by the device, idle, replaced by a newer connection, draining).
 */
public record DevicePresence(String deviceId, String gateway, String connectionId, Instant at, String reason) {
    public DevicePresence {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(connectionId, "connectionId");
        Objects.requireNonNull(at, "at");
    }
}
