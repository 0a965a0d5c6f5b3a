package io.autoglm.fleet.triggers.dispatch;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Runs asynchronous tasks one after the other per key and concurrently across keys: what keeps a
 * device's events in order while they are delivered, retried or dead-lettered. A task starts when
 * the previous task of its key has finished, however it finished. Tasks without a key run at once.
 */
final class KeyedSequencer {

    private final Map<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

    CompletableFuture<Void> submit(String key, Supplier<CompletableFuture<Void>> task) {
        if (key == null) {
            return run(task);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<Void> previous = tails.put(key, done);
        CompletableFuture<Void> start = previous == null ? CompletableFuture.completedFuture(null) : previous.handle((v, e) -> null);
        start.thenCompose(ignored -> run(task)).whenComplete((v, failure) -> {
            tails.remove(key, done);
            if (failure != null) {
                done.completeExceptionally(failure);
            } else {
                done.complete(null);
            }
        });
        return done;
    }

    /** Keys with a task running or waiting. */
    int activeKeys() {
        return tails.size();
    }

    private static CompletableFuture<Void> run(Supplier<CompletableFuture<Void>> task) {
        try {
            return task.get();
        } catch (RuntimeException | Error e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
