package io.autoglm.fleet.inference.serving;

import io.autoglm.fleet.inference.engine.ExecutionProvider;

import java.time.Duration;
import java.util.List;

/**
 * What the inference tier reports as it works: engine choices, batches, refusals, swaps, cold start.
 * The server turns these into metrics; tests record them. Called on the threads doing the work.
 */
public interface InferenceObserver {

    InferenceObserver NONE = new InferenceObserver() {
    };

    default void engineSelected(String model, int version, ExecutionProvider provider, List<String> fallbacks) {
    }

    default void batchRan(String model, int requests, int rows, long oldestWaitNanos, long computeNanos) {
    }

    default void refused(String model, String reason) {
    }

    /**
     * @param from    the version served before, null on the first load
     * @param failure why the new version was not taken, null when it was
     */
    default void swapped(String model, Integer from, int to, String failure) {
    }

    /** A request went to {@code version} of {@code model}: its canary's share when {@code canary}. */
    default void routed(String model, int version, boolean canary) {
    }

    default void coldStart(Duration processStartToFirstAnswer, Duration processStartToReady) {
    }
}
