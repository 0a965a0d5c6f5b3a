package io.autoglm.fleet.events.device;

import java.util.Objects;

/**
 * Payload of {@code io.autoglm.device.registered}.
 *
 * @param requestId the id of the registration request this answers
 */
public record DeviceRegistered(String requestId, RegistrationOutcome outcome, DeviceRecord device) {
    public DeviceRegistered {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(device, "device");
    }
}
