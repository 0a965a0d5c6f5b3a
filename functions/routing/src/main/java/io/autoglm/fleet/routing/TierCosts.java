package io.autoglm.fleet.routing;

import io.autoglm.fleet.events.command.Placement;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * What running work on each placement costs, in any unit the deployment likes (money per request, energy):
 * COST_FIRST tries placements from the cheapest. By default on the device itself, then an edge box, then
 * the cloud inference tier.
 */
public record TierCosts(double device, double edge, double cloud) {

    public static final TierCosts DEFAULT = new TierCosts(0, 1, 10);

    public TierCosts {
        if (device < 0 || edge < 0 || cloud < 0) {
            throw new IllegalArgumentException("placement costs must be >= 0, got device " + device + ", edge " + edge + ", cloud " + cloud);
        }
    }

    public double of(Placement placement) {
        return switch (placement) {
            case DEVICE -> device;
            case EDGE -> edge;
            case CLOUD -> cloud;
        };
    }

    /** Placements from the cheapest; ties keep the order device, edge, cloud. */
    List<Placement> cheapestFirst() {
        return Arrays.stream(Placement.values()).sorted(Comparator.comparingDouble(this::of)).toList();
    }
}
