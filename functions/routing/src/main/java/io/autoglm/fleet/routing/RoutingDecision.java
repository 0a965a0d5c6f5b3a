package io.autoglm.fleet.routing;

import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.events.command.Placement;

import java.util.List;
import java.util.Objects;

/**
 * The router's answer to a command (or a batch of them): the devices it goes to, each with why, or every
 * reason it cannot go anywhere.
 */
public sealed interface RoutingDecision permits RoutingDecision.Routed, RoutingDecision.Refused {

    /** A device chosen for a command, with the strategy's reason (score, region, tier). */
    record Target(String deviceId, Placement placement, String reason) {
        public Target {
            Objects.requireNonNull(deviceId, "deviceId");
            Objects.requireNonNull(placement, "placement");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** One target for a unicast command, every matching device for a broadcast; never empty. */
    record Routed(List<Target> targets) implements RoutingDecision {
        public Routed {
            targets = List.copyOf(targets);
            if (targets.isEmpty()) {
                throw new IllegalArgumentException("a routed command has at least one target");
            }
        }
    }

    /** Every reason the command cannot be delivered, each a sentence the caller can act on. */
    record Refused(List<Problem> problems) implements RoutingDecision {
        public Refused {
            problems = List.copyOf(problems);
            if (problems.isEmpty()) {
                throw new IllegalArgumentException("a refusal needs at least one problem");
            }
        }
    }
}
