package io.autoglm.fleet.deviceagent.backend;

import io.autoglm.fleet.events.device.Battery;
import io.autoglm.fleet.events.device.Platform;

import java.util.Map;
import java.util.Objects;

/**
 * What a device says about itself when asked (model, OS version, screen, cores, memory, battery) and
 * the identifiers its fingerprint is made of. The agent turns this into its registration declaration.
 *
 * @param battery     null when the device does not report one
 * @param identifiers stable hardware identifiers (serial number, manufacturer, model): the fingerprint
 */
public record DeviceFacts(
        Platform platform,
        String model,
        String osVersion,
        ScreenSize screen,
        int cpuCores,
        int memoryMb,
        Battery battery,
        Map<String, String> identifiers) {

    public DeviceFacts {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(screen, "screen");
        identifiers = Map.copyOf(identifiers);
    }
}
