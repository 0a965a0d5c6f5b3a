package io.autoglm.fleet.inference.serving;

import ai.djl.Model;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.autoglm.fleet.inference.engine.EngineSelector;
import io.autoglm.fleet.inference.engine.ExecutionProvider;
import io.autoglm.fleet.inference.engine.GpuArchitecture;
import io.autoglm.fleet.inference.engine.OrtSessions;
import io.autoglm.fleet.modelstore.ModelManifest;
import io.autoglm.fleet.modelstore.ModelRef;
import io.autoglm.fleet.modelstore.ModelStore;
import io.autoglm.fleet.modelstore.ModelVersionDirectory;
import io.autoglm.fleet.modelstore.ProgressListener;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Turns a published version into the {@link ServingVersion} that serves it: a remote backend's version
 * into what {@code remoteBackends} opens for it; any other into a {@link LoadedVersion}: fetches it from the store and checks its
 * checksums (while the session builds; nothing is served before they match), picks the execution provider (TensorRT, CUDA, CPU: the model's preference
 * within what this server allows), builds the runner for the model's kind, warms it up, and, after a
 * TensorRT build, keeps the engine cache in the store for the next cold start.
 */
public final class ModelLoader {

    private static final Logger LOG = Logger.getLogger(ModelLoader.class.getName());

    static {
        // DJL and ONNX Runtime must never phone home or download from here, whatever the environment says:
        // DJL reads these system properties when DJL_OFFLINE / OPT_OUT_TRACKING are not set.
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
    }

    /**
     * @param allowedProviders providers this server may use, in its order of preference
     * @param intraOpThreads   ONNX Runtime threads per operator when the model does not say
     * @param workers          batches of one model that may run at once
     */
    public record Settings(List<ExecutionProvider> allowedProviders, int intraOpThreads, int workers, boolean cpuArena) {
        public Settings {
            allowedProviders = List.copyOf(allowedProviders);
        }
    }

    private final ModelStore store;
    private final Settings settings;
    private final InferenceObserver observer;
    private final Function<ModelManifest, ServingVersion> remoteBackends;

    public ModelLoader(ModelStore store, Settings settings, InferenceObserver observer, Function<ModelManifest, ServingVersion> remoteBackends) {
        this.store = Objects.requireNonNull(store, "store");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.remoteBackends = Objects.requireNonNull(remoteBackends, "remoteBackends");
    }

    /** A loader of local versions only. */
    public ModelLoader(ModelStore store, Settings settings, InferenceObserver observer) {
        this(store, settings, observer, manifest -> {
            throw new IllegalStateException(manifest.name() + "@" + manifest.version() + " is served by a remote backend, which this loader does not open");
        });
    }

    public ServingVersion load(String name, int version) {
        long start = System.nanoTime();
        ModelVersionDirectory dir = store.fetch(ModelRef.version(name, version), ProgressListener.NONE);
        if (dir.manifest().isRemote()) {
            // no files, no engine: nothing of ONNX Runtime is loaded for it
            return remoteBackends.apply(dir.manifest());
        }
        long fetched = System.nanoTime();
        // the files are hashed on another core while ONNX Runtime builds the session (a third of the load on a
        // cold start); nothing serves from them before the check passed, a mismatch discards what was built
        CompletableFuture<Void> integrity = CompletableFuture.runAsync(() -> store.checkIntegrity(dir, ProgressListener.NONE),
                check -> new Thread(check, "model-checksums-" + name + "@" + version).start());
        ModelManifest manifest = dir.manifest();
        String label = name + "@" + version;
        List<ExecutionProvider> order = providers(manifest);
        String[] architecture = {null};
        OrtSessions.Tuning tuning = new OrtSessions.Tuning(
                manifest.engine().intraOpThreads() != null ? manifest.engine().intraOpThreads() : settings.intraOpThreads(),
                settings.cpuArena(), manifest.engine().trtFp16());
        // the tokenizer builds on another thread while ONNX Runtime creates the session
        CompletableFuture<HuggingFaceTokenizer> tokenizer = manifest.text() == null ? null
                : CompletableFuture.supplyAsync(() -> TextEmbeddingRunner.tokenizer(dir.file(manifest.text().tokenizer())));
        EngineSelector.Selection<Model> selection;
        try {
            selection = EngineSelector.select(label, order,
                    provider -> OrtSessions.load(label, dir.modelFile(), provider, tuning, () -> {
                        architecture[0] = GpuArchitecture.detect().orElse("unknown");
                        return store.engineCache(name, version, architecture[0]);
                    }),
                    LOG::warning);
        } catch (RuntimeException e) {
            if (tokenizer != null) {
                tokenizer.thenAccept(HuggingFaceTokenizer::close);
            }
            throw integrityFailureOr(integrity, e);
        }
        long sessionReady = System.nanoTime();
        ModelRunner<?> runner;
        try {
            runner = tokenizer != null
                    ? new TextEmbeddingRunner(label, selection.loaded(), tokenizer.join(), manifest)
                    : new TensorRunner(label, selection.loaded(), manifest);
        } catch (RuntimeException e) {
            selection.loaded().close();
            throw e;
        }
        try {
            integrity.join();
        } catch (CompletionException e) {
            runner.close();
            throw integrityFailureOr(integrity, e);
        }
        long runnerReady = System.nanoTime();
        LoadedVersion<?> loaded;
        try {
            loaded = LoadedVersion.start(manifest, selection.provider(), runner, settings.workers(), observer);
        } catch (RuntimeException e) {
            runner.close();
            throw e;
        }
        if (selection.provider() == ExecutionProvider.TENSORRT) {
            store.saveEngineCache(name, version, architecture[0]);
        }
        observer.engineSelected(name, version, selection.provider(), selection.fallbacks());
        long end = System.nanoTime();
        LOG.info(String.format("loaded %s on %s in %.0f ms (fetch %.0f, session %.0f, tokenizer and checksums wait %.0f, warm-up %.0f)%s",
                label, selection.provider().wireName(), (end - start) / 1e6, (fetched - start) / 1e6, (sessionReady - fetched) / 1e6,
                (runnerReady - sessionReady) / 1e6, (end - runnerReady) / 1e6,
                selection.fallbacks().isEmpty() ? "" : " (after: " + String.join("; ", selection.fallbacks()) + ")"));
        return loaded;
    }

    /** A file that does not match its manifest is the reason to report, rather than what loading it did. */
    private static RuntimeException integrityFailureOr(CompletableFuture<Void> integrity, RuntimeException failure) {
        try {
            integrity.join();
            return failure;
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException mismatch) {
                mismatch.addSuppressed(failure);
                return mismatch;
            }
            return failure;
        }
    }

    /** The model's providers in its order, kept to those this server allows; the server's order if the model names none allowed. */
    List<ExecutionProvider> providers(ModelManifest manifest) {
        List<ExecutionProvider> wanted = manifest.engine().providers().stream().map(ExecutionProvider::of)
                .filter(settings.allowedProviders()::contains).toList();
        return wanted.isEmpty() ? settings.allowedProviders() : wanted;
    }
}
