package io.autoglm.fleet.state;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Runs asynchronous work one at a time per key, in the order it was submitted, and different keys in
 * parallel: a read-decide-write on one device's state never interleaves with another for the same device.
 * Keys with nothing queued take no memory.
 */
public final class KeySequencer {

    private final Map<String, CompletableFuture<?>> tails = new ConcurrentHashMap<>();

    /** Starts {@code work} once everything submitted earlier for {@code key} has finished (either way). */
    public <T> CompletableFuture<T> submit(String key, Supplier<? extends CompletableFuture<T>> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        CompletableFuture<?> previous = tails.put(key, result);
        CompletableFuture<?> start = previous == null ? CompletableFuture.completedFuture(null) : previous.handle((value, failure) -> null);
        start.thenCompose(ready -> {
            try {
                return work.get();
            } catch (RuntimeException e) {
                return CompletableFuture.<T>failedFuture(e);
            }
        }).whenComplete((value, failure) -> {
            tails.remove(key, result);
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                result.complete(value);
            }
        });
        return result;
    }

    /** Keys with work queued or running. */
    public int activeKeys() {
        return tails.size();
    }
}
