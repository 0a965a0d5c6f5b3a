package io.autoglm.fleet.events.command;

import java.time.Instant;
import java.util.Objects;

/** Payload of {@code io.autoglm.command.progress}: optional word from a device on a long command. */
public record CommandProgress(String commandId, String deviceId, String message, Integer percent, Instant at) {

    public CommandProgress {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(deviceId, "deviceId");
    }
}
