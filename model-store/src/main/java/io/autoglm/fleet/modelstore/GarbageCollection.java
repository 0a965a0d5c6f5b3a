package io.autoglm.fleet.modelstore;

import java.util.List;

/**
 * The result of a garbage collection of one model: the versions removed, the versions kept (the
 * newest N and every alias target), and how many abandoned uploads were cleaned up.
 */
public record GarbageCollection(String model, List<Integer> removed, List<Integer> kept, int abandonedUploads, boolean dryRun) {

    public GarbageCollection {
        removed = List.copyOf(removed);
        kept = List.copyOf(kept);
    }
}
