package io.autoglm.fleet.inference.serving;

import io.autoglm.fleet.events.inference.InferenceCompleted;
import io.autoglm.fleet.events.inference.InferenceRequested;
import io.autoglm.fleet.modelstore.ModelManifest;

import java.util.concurrent.CompletableFuture;

/**
 * A model version taking requests, whichever way it runs: in this process ({@link LoadedVersion}, an
 * engine behind a dynamic batcher) or on a remote backend ({@code RemoteVersion}). {@link ServedModels}
 * routes to it, swaps it and drains it the same way.
 */
public interface ServingVersion {

    /** The version's {@code model.json}. */
    ModelManifest manifest();

    default String name() {
        return manifest().name();
    }

    default int version() {
        return manifest().version();
    }

    /** What runs it: {@code tensorrt}, {@code cuda}, {@code cpu}, or {@code remote}. */
    String engine();

    /** Requests taken and not yet answered. */
    int queued();

    /** Why it cannot serve now (its backend unreachable, say), or null when it can. */
    default String problem() {
        return null;
    }

    /** Answers {@code request}; the future fails with an {@code InferenceFailure}. */
    CompletableFuture<InferenceCompleted> infer(InferenceRequested request);

    /** Stops taking requests; completes once those taken are answered and what it holds is freed. */
    CompletableFuture<Void> drain();

    /** Frees it now (shutdown). */
    void close();
}
