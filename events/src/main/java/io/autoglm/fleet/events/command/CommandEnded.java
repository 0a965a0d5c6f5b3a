package io.autoglm.fleet.events.command;

import java.time.Instant;
import java.util.Objects;

/**
 * Payload of the service's own outcomes, {@code io.autoglm.command.timed.out}, {@code command.expired}
 * and {@code command.canceled} (the last one also told to the device): which state the command ended
 * in and why.
 */
public record CommandEnded(String commandId, String deviceId, CommandState state, String reason, Instant at) {

    public CommandEnded {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(deviceId, "deviceId");
    }
}
