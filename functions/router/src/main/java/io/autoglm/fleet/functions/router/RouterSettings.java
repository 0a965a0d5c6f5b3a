package io.autoglm.fleet.functions.router;

import io.autoglm.fleet.events.command.RoutingStrategy;
import io.autoglm.fleet.routing.RouterPolicy;
import io.autoglm.fleet.routing.RoutingWeights;
import io.autoglm.fleet.routing.TierCosts;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The router's settings; {@code autoglm.router.*}. See {@link RouterPolicy} for what each does. */
@ConfigMapping(prefix = "autoglm.router")
public interface RouterSettings {

    /** LOAD_BALANCE's weights; normalised to sum to 1. */
    Weights weights();

    /** COST_FIRST's cost of each placement, in any one unit. */
    Costs costs();

    /** Random qualifying devices LOAD_BALANCE compares (power of two choices). */
    @WithDefault("2")
    int choices();

    /** NEAREST treats devices this close to the closest round-trip time as equally near. */
    @WithDefault("10ms")
    Duration nearestTolerance();

    /** Load (0..1) from which a device or edge box takes no more inference. */
    @WithDefault("0.9")
    double inferenceMaxLoad();

    /** Strategy for inference requests that name none. */
    @WithDefault("COST_FIRST")
    RoutingStrategy inferenceStrategy();

    /** How long a batch's Pulsar transaction may stay open before the broker aborts it. */
    @WithDefault("30s")
    Duration batchTimeout();

    /** The answers the router keeps for requests delivered again (see RoutingMemory). */
    Memory memory();

    /** What a replica remembers of the commands and batches it routed. */
    interface Memory {
        /** Most commands and batches remembered; the oldest are forgotten first. 0 turns the memory off. */
        @WithDefault("16384")
        int commands();

        /** How long an answer is remembered: longer than a delivery's retries take. */
        @WithDefault("10m")
        Duration keep();
    }

    /** LOAD_BALANCE weights. */
    interface Weights {
        /** Weight of what the device can take on (cores, memory, GPU). */
        @WithDefault("0.6")
        double capability();

        /** Weight of its spare capacity, 1 - load (utilisation and queue, in-flight commands included). */
        @WithDefault("0.3")
        double load();

        /** Weight of its responsiveness (round-trip time). */
        @WithDefault("0.1")
        double responsiveness();
    }

    /** Placement costs. */
    interface Costs {
        /** Running on the device that asked. */
        @WithDefault("0")
        double device();

        /** Running on an edge box. */
        @WithDefault("1")
        double edge();

        /** Running in the cloud inference tier. */
        @WithDefault("10")
        double cloud();
    }

    default RouterPolicy policy() {
        return new RouterPolicy(new RoutingWeights(weights().capability(), weights().load(), weights().responsiveness()),
                new TierCosts(costs().device(), costs().edge(), costs().cloud()), choices(), nearestTolerance().toMillis(),
                inferenceMaxLoad(), inferenceStrategy());
    }
}
