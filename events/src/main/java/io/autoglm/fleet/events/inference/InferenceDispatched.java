package io.autoglm.fleet.events.inference;

import io.autoglm.fleet.events.command.Placement;
import io.autoglm.fleet.events.command.RoutingStrategy;

import java.time.Instant;
import java.util.Objects;

/**
 * Payload of {@code io.autoglm.inference.dispatched}: the router's placement of an inference request.
 * {@code deviceId} is null when it went to the cloud tier.
 */
public record InferenceDispatched(
        String requestId,
        String model,
        Placement placement,
        String deviceId,
        RoutingStrategy strategy,
        String reason,
        Instant dispatchedAt) {

    public InferenceDispatched {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(placement, "placement");
    }
}
