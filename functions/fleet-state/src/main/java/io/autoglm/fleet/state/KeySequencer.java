package io.autoglm.fleet.state;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Runs asynchronous work one at a time per key, in the order it was submitted, and different keys in
 * parallel: a read-decide-write on one device's state never interleaves with another for the same device, and
 * the dispatcher keeps a device's events in order while they are delivered, retried or dead-lettered. Work starts
 * when the previous work of its key has finished, however it finished; work without a key runs at once. Keys
 * with nothing queued take no memory.
 */
public final class KeySequencer {

    private final Map<String, CompletableFuture<?>> tails = new ConcurrentHashMap<>();

    /** Starts {@code work} once everything submitted earlier for {@code key} has finished (either way). */
    public <T> CompletableFuture<T> submit(String key, Supplier<? extends CompletableFuture<T>> work) {
        if (key == null) {
            return run(work);
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        CompletableFuture<?> previous = tails.put(key, result);
        CompletableFuture<?> start = previous == null ? CompletableFuture.completedFuture(null) : previous.handle((value, failure) -> null);
        start.thenCompose(ready -> run(work)).whenComplete((value, failure) -> {
            tails.remove(key, result);
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                result.complete(value);
            }
        });
        return result;
    }

    private static <T> CompletableFuture<T> run(Supplier<? extends CompletableFuture<T>> work) {
        try {
            return work.get();
        } catch (RuntimeException | Error e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Keys with work queued or running. */
    public int activeKeys() {
        return tails.size();
    }
}
