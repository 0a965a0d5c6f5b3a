package io.autoglm.fleet.events.command;

import java.time.Instant;
import java.util.Objects;

/**
 * Payload of {@code io.autoglm.command.deadline}: a Pulsar delayed message that comes back at {@code
 * due}, when the command must have been delivered ({@link DeadlineKind#DELIVERY}) or finished ({@link
 * DeadlineKind#EXECUTION}). No process keeps a timer.
 */
public record CommandDeadline(String commandId, String deviceId, DeadlineKind kind, Instant due) {

    public CommandDeadline {
        Objects.requireNonNull(due, "due");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(deviceId, "deviceId");
    }
}
