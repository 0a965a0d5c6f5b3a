package io.autoglm.fleet.events.device;

import java.util.Map;
import java.util.Objects;

/**
 * Payload of {@code io.autoglm.device.registration.requested}: a device's capability declaration.
 *
 * @param fingerprint hardware identity inputs (serial, MAC, board id, ...). They are hashed into
 *                    the stable device id and never stored or forwarded.
 */
public record DeviceDeclaration(String tenant, DeviceCapabilities capabilities, Map<String, String> fingerprint) {
    public DeviceDeclaration {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(capabilities, "capabilities");
        fingerprint = fingerprint == null ? Map.of() : Map.copyOf(fingerprint);
    }
}
