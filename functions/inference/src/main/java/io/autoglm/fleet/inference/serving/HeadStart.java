package io.autoglm.fleet.inference.serving;

import io.autoglm.fleet.inference.engine.ExecutionProvider;
import io.autoglm.fleet.modelstore.ModelRef;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * A cold start's head start: the configured models loaded (checksums, session, tokenizer, warm-up)
 * while the server is still booting, kept for the served models to take. A version is taken only
 * for the same load settings, the same model and the same version the server resolves itself;
 * anything else is closed and the server loads as usual, so a head start can make the first answer
 * earlier but never changes what is served.
 *
 * @param <S> the load settings, compared with {@code equals}
 */
public final class HeadStart<S> implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(HeadStart.class.getName());

    private final S settings;
    private final Map<String, CompletableFuture<ServingVersion>> loads = new ConcurrentHashMap<>();
    private final ReplayingObserver observer;

    private HeadStart(S settings, ReplayingObserver observer) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /**
     * Starts resolving and loading every reference on {@code executor} (a single thread loads them one after the other).
     *
     * @param load loads a version, reporting to the observer it is given (its reports are kept for the server's)
     */
    public static <S> HeadStart<S> begin(S settings, List<ModelRef> refs, ServedModels.Versions versions,
                                         LoaderFactory load, Executor executor) {
        ReplayingObserver observer = new ReplayingObserver();
        HeadStart<S> headStart = new HeadStart<>(settings, observer);
        ServedModels.Loader loader = load.loader(observer);
        for (ModelRef ref : refs) {
            headStart.loads.put(ref.name(), CompletableFuture.supplyAsync(() -> loader.load(ref.name(), versions.resolve(ref)), executor));
        }
        return headStart;
    }

    /** Builds the loader of a head start, given where its loads report. */
    @FunctionalInterface
    public interface LoaderFactory {
        ServedModels.Loader loader(InferenceObserver observer);
    }

    /**
     * The version loaded ahead for {@code name}, if it was loaded with {@code settings} and is
     * {@code version}; waits for a load still running. From then on its reports go to {@code target}.
     */
    public Optional<ServingVersion> take(S settings, String name, int version, InferenceObserver target) {
        if (!this.settings.equals(settings)) {
            if (!loads.isEmpty()) {
                LOG.info(() -> "head start not used: it read " + this.settings + ", the server runs with " + settings);
                close();
            }
            return Optional.empty();
        }
        CompletableFuture<ServingVersion> load = loads.remove(name);
        if (load == null) {
            return Optional.empty();
        }
        ServingVersion loaded;
        try {
            loaded = load.join();
        } catch (CompletionException e) {
            LOG.info(() -> "head start of " + name + " failed (" + e.getCause() + "); loading it again");
            return Optional.empty();
        }
        if (loaded.version() != version) {
            LOG.info(() -> "head start loaded " + loaded + ", the store now names version " + version + "; loading that");
            loaded.close();
            return Optional.empty();
        }
        observer.attach(target);
        LOG.info(() -> loaded + " loaded while the server booted (head start)");
        return Optional.of(loaded);
    }

    /** Closes what was not taken (once loaded). */
    @Override
    public void close() {
        loads.values().forEach(load -> load.thenAccept(ServingVersion::close));
        loads.clear();
    }

    /** Reports to a target attached later; what came before is kept and replayed to it. */
    static final class ReplayingObserver implements InferenceObserver {
        private final List<Consumer<InferenceObserver>> early = new ArrayList<>();
        private volatile InferenceObserver target;

        void attach(InferenceObserver observer) {
            synchronized (early) {
                if (target == null) {
                    early.forEach(call -> call.accept(observer));
                    early.clear();
                    target = observer;
                }
            }
        }

        private void report(Consumer<InferenceObserver> call) {
            InferenceObserver now = target;
            if (now == null) {
                synchronized (early) {
                    if (target == null) {
                        early.add(call);
                        return;
                    }
                    now = target;
                }
            }
            call.accept(now);
        }

        @Override
        public void engineSelected(String model, int version, ExecutionProvider provider, List<String> fallbacks) {
            report(o -> o.engineSelected(model, version, provider, fallbacks));
        }

        @Override
        public void batchRan(String model, int requests, int rows, long oldestWaitNanos, long computeNanos) {
            report(o -> o.batchRan(model, requests, rows, oldestWaitNanos, computeNanos));
        }

        @Override
        public void refused(String model, String reason) {
            report(o -> o.refused(model, reason));
        }

        @Override
        public void swapped(String model, Integer from, int to, String failure) {
            report(o -> o.swapped(model, from, to, failure));
        }

        @Override
        public void coldStart(Duration processStartToFirstAnswer, Duration processStartToReady) {
            report(o -> o.coldStart(processStartToFirstAnswer, processStartToReady));
        }
    }
}
