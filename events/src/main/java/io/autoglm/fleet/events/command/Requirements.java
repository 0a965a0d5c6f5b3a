package io.autoglm.fleet.events.command;

import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.events.device.Platform;

import java.util.List;
import java.util.Map;

/**
 * What a target device must offer. Empty lists and maps, and null numbers, mean "any".
 *
 * @param region preferred region for {@link RoutingStrategy#NEAREST} (a preference, not a filter)
 */
public record Requirements(
        List<Platform> platforms,
        Map<String, String> labels,
        Integer minMemoryMb,
        boolean gpu,
        List<AgentAction> actions,
        String region) {

    public static final Requirements ANY = new Requirements(null, null, null, false, null, null);

    public Requirements {
        platforms = platforms == null ? List.of() : List.copyOf(platforms);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        actions = actions == null ? List.of() : List.copyOf(actions);
    }
}
