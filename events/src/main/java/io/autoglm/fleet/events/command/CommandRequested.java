package io.autoglm.fleet.events.command;

import java.util.Objects;

/**
 * Payload of {@code io.autoglm.command.requested}. With {@code deviceId} set the command goes to
 * that device (if it is ONLINE and qualifies); otherwise the router picks by {@code strategy}
 * among devices meeting {@code requirements}, or, for {@link Delivery#BROADCAST}, sends it to all.
 * The tenant is the event's {@code tenant} extension. {@code ttlMs} bounds how long it may wait to be delivered,
 * {@code timeoutMs} how long the device may take once it accepted it (the commands function's default when null).
 */
public record CommandRequested(
        String commandId,
        String deviceId,
        Delivery delivery,
        RoutingStrategy strategy,
        Requirements requirements,
        CommandAction action,
        Long ttlMs,
        Long timeoutMs) {

    public CommandRequested {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(action, "action");
        delivery = delivery == null ? Delivery.UNICAST : delivery;
        strategy = strategy == null ? RoutingStrategy.LOAD_BALANCE : strategy;
        requirements = requirements == null ? Requirements.ANY : requirements;
    }

    /** A command with the default execution timeout. */
    public CommandRequested(String commandId, String deviceId, Delivery delivery, RoutingStrategy strategy, Requirements requirements,
                            CommandAction action, Long ttlMs) {
        this(commandId, deviceId, delivery, strategy, requirements, action, ttlMs, null);
    }
}
