package io.autoglm.fleet.events.command;

import java.time.Instant;
import java.util.Objects;

/**
 * Payload of {@code io.autoglm.command.accepted}: the device took the command and starts it (state
 * IN_PROGRESS).
 */
public record CommandAccepted(String commandId, String deviceId, Instant acceptedAt) {

    public CommandAccepted {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(deviceId, "deviceId");
    }
}
