package io.autoglm.fleet.routing;

import io.autoglm.fleet.events.command.RoutingStrategy;

import java.util.Objects;

/**
 * The router's tunables.
 *
 * @param weights           LOAD_BALANCE's weighting of capability, spare capacity and responsiveness
 * @param costs             COST_FIRST's cost of each placement
 * @param choices           how many random qualifying devices LOAD_BALANCE compares (2: "power of two choices")
 * @param nearestToleranceMs NEAREST treats devices within this many ms of the closest as equally near and
 *                          picks the least loaded of them, so a burst does not all land on one device
 * @param inferenceMaxLoad  a device or edge box this loaded (in [0, 1]) takes no inference; the cloud does
 * @param inferenceStrategy strategy for inference requests that name none
 */
public record RouterPolicy(RoutingWeights weights, TierCosts costs, int choices, double nearestToleranceMs, double inferenceMaxLoad,
                           RoutingStrategy inferenceStrategy) {

    public static final RouterPolicy DEFAULT = new RouterPolicy(RoutingWeights.DEFAULT, TierCosts.DEFAULT, 2, 10.0, 0.9,
            RoutingStrategy.COST_FIRST);

    public RouterPolicy {
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(costs, "costs");
        Objects.requireNonNull(inferenceStrategy, "inferenceStrategy");
        if (choices < 1) {
            throw new IllegalArgumentException("LOAD_BALANCE needs at least one choice, got " + choices);
        }
        if (nearestToleranceMs < 0) {
            throw new IllegalArgumentException("the NEAREST tolerance must be >= 0 ms, got " + nearestToleranceMs);
        }
        if (!(inferenceMaxLoad > 0 && inferenceMaxLoad <= 1)) {
            throw new IllegalArgumentException("the inference load limit must be in (0, 1], got " + inferenceMaxLoad);
        }
    }
}
