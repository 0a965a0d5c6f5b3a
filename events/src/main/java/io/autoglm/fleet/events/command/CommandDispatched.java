package io.autoglm.fleet.events.command;

import java.time.Instant;
import java.util.Objects;

/**
 * Payload of {@code io.autoglm.command.dispatched}: written to the chosen device's command topic,
 * keyed by device id. {@code reason} says why this device won (strategy and score). {@code expiresAt} ends the
 * delivery TTL; {@code timeoutMs} is the execution timeout once the device accepted it (null: the commands
 * function's default). The commands function writes it again, unchanged, for a device that reconnects with it pending.
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
        Instant expiresAt,
        Long timeoutMs) {

    public CommandDispatched {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(action, "action");
    }

    /** A command with the default execution timeout. */
    public CommandDispatched(String commandId, String batchId, String deviceId, String tenant, Placement placement, CommandAction action,
                             RoutingStrategy strategy, String reason, Instant dispatchedAt, Instant expiresAt) {
        this(commandId, batchId, deviceId, tenant, placement, action, strategy, reason, dispatchedAt, expiresAt, null);
    }
}
