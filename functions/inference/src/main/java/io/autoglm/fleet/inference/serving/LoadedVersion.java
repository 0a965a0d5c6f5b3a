package io.autoglm.fleet.inference.serving;

import io.autoglm.fleet.events.inference.InferenceCompleted;
import io.autoglm.fleet.events.inference.InferenceRequested;
import io.autoglm.fleet.inference.InferenceFailure;
import io.autoglm.fleet.inference.batching.DynamicBatcher;
import io.autoglm.fleet.inference.engine.ExecutionProvider;
import io.autoglm.fleet.modelstore.ModelManifest;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * One model version loaded, warmed and taking requests: its runner behind its dynamic batcher.
 * Replaced versions drain (finish what they queued) and then free the engine.
 */
public final class LoadedVersion<P> implements ServingVersion {

    /** Where answers are handed back to callers (encoding, writing), off the batcher's thread. */
    private static final java.util.concurrent.ExecutorService REPLIES = java.util.concurrent.Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()), runnable -> {
                Thread thread = new Thread(runnable, "inference-replies");
                thread.setDaemon(true);
                return thread;
            });

    private final ModelManifest manifest;
    private final ExecutionProvider provider;
    private final ModelRunner<P> runner;
    private final DynamicBatcher<P, ModelOutput> batcher;

    private LoadedVersion(ModelManifest manifest, ExecutionProvider provider, ModelRunner<P> runner, int workers, InferenceObserver observer) {
        this.manifest = Objects.requireNonNull(manifest, "manifest");
        this.provider = Objects.requireNonNull(provider, "provider");
        this.runner = Objects.requireNonNull(runner, "runner");
        String name = manifest.name();
        this.batcher = new DynamicBatcher<>(name + "@" + manifest.version(), manifest.batching().maxBatchSize(),
                manifest.batching().maxQueueDelay(), manifest.batching().maxQueueSize(), workers, runner::run,
                new DynamicBatcher.Observer() {
                    @Override
                    public void batchRan(int requests, int rows, long oldestWaitNanos, long computeNanos) {
                        observer.batchRan(name, requests, rows, oldestWaitNanos, computeNanos);
                    }

                    @Override
                    public void refused(String reason) {
                        observer.refused(name, reason);
                    }
                }, REPLIES);
    }

    /** Warms {@code runner} with its warm-up request, then starts taking requests. */
    public static <P> LoadedVersion<P> start(ModelManifest manifest, ExecutionProvider provider, ModelRunner<P> runner, int workers,
                                             InferenceObserver observer) {
        runner.run(List.of(runner.prepare(runner.warmupRequest())));
        return new LoadedVersion<>(manifest, provider, runner, workers, observer);
    }

    @Override
    public ModelManifest manifest() {
        return manifest;
    }

    @Override
    public String engine() {
        return provider.wireName();
    }

    public ExecutionProvider provider() {
        return provider;
    }

    @Override
    public int queued() {
        return batcher.queued();
    }

    /**
     * Checks the request against this version (failing at once when it is wrong) and queues it. The
     * future fails with an {@code InferenceFailure}.
     */
    @Override
    public CompletableFuture<InferenceCompleted> infer(InferenceRequested request) {
        if (request.agent() != null) {
            throw InferenceFailure.badRequest("data.agent", manifest.name() + "@" + manifest.version()
                    + " runs texts or tensors in this process; an agent step goes to a vision-language model served by a remote backend");
        }
        P prepared = runner.prepare(request);
        return batcher.submit(prepared, runner.rows(prepared)).thenApply(served -> completed(request, served));
    }

    private InferenceCompleted completed(InferenceRequested request, DynamicBatcher.Served<ModelOutput> served) {
        List<List<Float>> embeddings = new ArrayList<>(served.output().embeddings().size());
        for (float[] vector : served.output().embeddings()) {
            List<Float> list = new ArrayList<>(vector.length);
            for (float v : vector) {
                list.add(v);
            }
            embeddings.add(list);
        }
        return new InferenceCompleted(request.requestId(), manifest.name(), manifest.version(), embeddings, served.output().outputs(),
                provider.wireName(), served.batchRows(), served.queueMs(), served.computeMs());
    }

    /** Stops taking requests; completes once the queued ones are answered and the engine is freed. */
    @Override
    public CompletableFuture<Void> drain() {
        return batcher.drain().whenComplete((ignored, error) -> runner.close());
    }

    /** Drains and frees now (shutdown). */
    @Override
    public void close() {
        batcher.close();
        runner.close();
    }

    @Override
    public String toString() {
        return manifest.name() + "@" + manifest.version() + " on " + provider.wireName();
    }
}
