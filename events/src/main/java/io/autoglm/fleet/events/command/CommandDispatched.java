package io.autoglm.fleet.events.command;

import java.time.Instant;
import java.util.Objects;

/**
 * Payload of {@code io.autoglm.command.dispatched}: written to the chosen device's command topic,
 * keyed by device id. {@code reason} says why this device won (strategy and score).
 */
public record CommandDispatched(
        String commandId,
        String batchId,
        String deviceId,
        String tenant,
        Placement placement,
        CommandAction action,
        RoutingStrategy strategy,
        String reason,
        Instant dispatchedAt,
        Instant expiresAt) {

    public CommandDispatched {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(action, "action");
    }
}
