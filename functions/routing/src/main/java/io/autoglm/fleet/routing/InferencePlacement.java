package io.autoglm.fleet.routing;

import io.autoglm.fleet.events.command.Placement;
import io.autoglm.fleet.events.command.RoutingStrategy;

import java.util.Objects;

/**
 * Where an inference request runs: on the device that asked, on an edge box, or in the cloud inference
 * tier (always available, so an inference is never refused here). {@code deviceId} is null for the cloud.
 */
public record InferencePlacement(Placement placement, String deviceId, RoutingStrategy strategy, String reason) {
    public InferencePlacement {
        Objects.requireNonNull(placement, "placement");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(reason, "reason");
        if ((placement == Placement.CLOUD) != (deviceId == null)) {
            throw new IllegalArgumentException("a " + placement + " placement " + (deviceId == null ? "needs" : "has no") + " device id");
        }
    }
}
