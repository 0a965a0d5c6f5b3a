package io.autoglm.fleet.events.command;

import java.time.Instant;
import java.util.Objects;

/**
 * Payload of {@code io.autoglm.command.delivered}: the gateway wrote the command to the device's
 * socket (attempt counts re-deliveries after reconnects).
 */
public record CommandDelivered(String commandId, String deviceId, String gateway, int attempt, Instant deliveredAt) {

    public CommandDelivered {
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(deviceId, "deviceId");
    }
}
