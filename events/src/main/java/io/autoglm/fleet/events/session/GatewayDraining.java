package io.autoglm.fleet.events.session;

/**
 * Payload of {@code io.autoglm.gateway.draining}: the replica is shutting down; reconnect (to any
 * replica) after {@code reconnectAfterMs}, spread by jitter.
 */
public record GatewayDraining(long reconnectAfterMs, String reason) {
}
