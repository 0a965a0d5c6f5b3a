package io.autoglm.fleet.events.session;

import java.time.Instant;
import java.util.Objects;

/**
 * Payload of {@code io.autoglm.device.credential.issued}, sent by the gateway down a device's socket
 * once the device is registered: the bearer token the device connects with from then on, good for this
 * device of this tenant only.
 */
public record DeviceCredential(String deviceId, String token, Instant expiresAt) {
    public DeviceCredential {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(token, "token");
    }
}
