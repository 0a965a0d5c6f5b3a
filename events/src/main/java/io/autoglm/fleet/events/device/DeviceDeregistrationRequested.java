package io.autoglm.fleet.events.device;

import java.util.Objects;

/** Payload of {@code io.autoglm.device.deregistration.requested}. */
public record DeviceDeregistrationRequested(String deviceId, String tenant, String reason) {
    public DeviceDeregistrationRequested {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(tenant, "tenant");
    }
}
