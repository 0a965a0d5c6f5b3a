package io.autoglm.fleet.functions.router;

import io.autoglm.fleet.events.command.Placement;
import io.autoglm.fleet.events.command.RoutingStrategy;

/** Hears what {@link RoutingService} decided, and how long the {@code Router} took ({@link RouterMetrics} counts it). */
interface RoutingObserver {

    /** What was asked of the router. */
    enum Kind {
        COMMAND, BATCH, INFERENCE
    }

    /** Hears nothing. */
    RoutingObserver NONE = new RoutingObserver() {
    };

    /** The router took {@code nanos} to decide one request of {@code kind}. */
    default void decided(String tenant, Kind kind, long nanos) {
    }

    /** A command (alone, or a member of a batch) was routed or refused. */
    default void command(String tenant, Kind kind, RoutingStrategy strategy, boolean routed) {
    }

    /** An inference request was placed. */
    default void placed(String tenant, RoutingStrategy strategy, Placement placement) {
    }

    /** A request delivered again was answered with the first decision ({@link RoutingMemory}). */
    default void recalled(String tenant) {
    }
}
