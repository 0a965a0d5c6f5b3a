package io.autoglm.fleet.events.command;

import java.util.Objects;

/**
 * Payload of {@code io.autoglm.command.failed}: the device accepted the command and could not carry it
 * out; {@code message} says what happened in words an operator can act on.
 */
public record CommandFailed(String commandId, String deviceId, CommandFailureReason reason, String message, CommandTimings timings) {

    public CommandFailed {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(deviceId, "deviceId");
    }
}
