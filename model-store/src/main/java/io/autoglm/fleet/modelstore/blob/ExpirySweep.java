package io.autoglm.fleet.modelstore.blob;

import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * The walk a sweep makes over the key space, the same in a directory and in a bucket: each tenant,
 * then each of its expiry hours, deleting the hours that have begun. Nothing is read but names.
 */
final class ExpirySweep {

    private ExpirySweep() {
    }

    /**
     * @param <D>      a "directory": a path, or a key prefix
     * @param children the directories in a directory
     * @param name     the last segment of a directory's name: a tenant id, an hour
     * @param delete   deletes an hour's directory and every blob in it; returns how many blobs
     * @return how many blobs were deleted
     */
    static <D> int sweep(D root, Instant now, Function<D, List<D>> children, Function<D, String> name, ToIntFunction<D> delete) {
        int removed = 0;
        for (D tenant : children.apply(root)) {
            if (!BlobKey.isNamespace(name.apply(tenant))) {
                continue;
            }
            for (D hour : children.apply(tenant)) {
                boolean begun = BlobKey.parseHour(name.apply(hour)).map(expiry -> !now.isBefore(expiry)).orElse(false);
                if (begun) {
                    removed += delete.applyAsInt(hour);
                }
            }
        }
        return removed;
    }
}
