package io.autoglm.fleet.events.command;

import java.time.Instant;
import java.util.Objects;

/**
 * Payload of {@code io.autoglm.command.declined}: the device refused the command without running it
 * (state REJECTED).
 */
public record CommandDeclined(String commandId, String deviceId, DeclineReason reason, String message, Instant at) {

    public CommandDeclined {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(deviceId, "deviceId");
    }
}
