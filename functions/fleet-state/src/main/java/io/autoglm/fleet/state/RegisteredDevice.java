package io.autoglm.fleet.state;

import java.util.Objects;

/**
 * What a reader that only needs to know whether a device exists keeps of its registry record: the heartbeat
 * function reads the registry topic as these (a few dozen bytes each) instead of whole {@code DeviceRecord}s,
 * so that it holds a large fleet in little memory. Decoded from the same JSON; the other fields are skipped.
 */
public record RegisteredDevice(String deviceId, String tenant, long generation) {
    public RegisteredDevice {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(tenant, "tenant");
    }
}
