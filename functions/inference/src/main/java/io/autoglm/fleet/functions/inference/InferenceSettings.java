package io.autoglm.fleet.functions.inference;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;

/** How the inference function runs; {@code autoglm.inference.*}. */
@ConfigMapping(prefix = "autoglm.inference")
public interface InferenceSettings {

    /** The model store: a directory, a {@code file:} URI, or {@code s3://bucket/prefix?endpoint=...}. */
    @WithDefault("model-store-data")
    String store();

    /** Where versions from an object-storage store are kept locally. */
    @WithDefault("${java.io.tmpdir}/autoglm-model-cache")
    String cacheDir();

    /**
     * The models to serve, as references: {@code name} (follows {@code stable}), {@code name@alias}
     * ({@code latest}: the newest version), or {@code name@version} (pinned).
     */
    @WithDefault("all-minilm-l6-v2")
    List<String> models();

    /** Execution providers this server may use, best first; each model's own preference applies within these. */
    @WithDefault("tensorrt,cuda,cpu")
    List<String> providers();

    /** ONNX Runtime threads inside one operator, for models whose model.json does not say. */
    @WithDefault("1")
    int intraOpThreads();

    /** Batches of one model that may run at once. */
    @WithDefault("1")
    int workers();

    /**
     * ONNX Runtime's CPU arena allocator. On: a batch's intermediate tensors (MBs at 32 rows) are reused instead of
     * mapped and unmapped on every call, 5-15% less CPU per row at 16-32 rows, ~4% at 1 (BENCHMARKS.md), for a few
     * tens of MB more resident memory; off where memory matters more.
     */
    @WithDefault("true")
    boolean cpuArena();

    /** The longest a caller waits for an answer, queue included; then it gets inference.failed (TIMEOUT). */
    @WithDefault("30s")
    Duration requestTimeout();

    /** How long a request that arrives before the models are loaded waits for them (scale from zero). */
    @WithDefault("10s")
    Duration coldStartWait();

    /** How often to re-read the store's aliases, catching promotions whose event never came; 0 turns it off. */
    @WithDefault("30s")
    Duration storePollInterval();
}
