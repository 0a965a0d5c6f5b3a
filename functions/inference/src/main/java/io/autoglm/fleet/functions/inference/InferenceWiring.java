package io.autoglm.fleet.functions.inference;

import io.autoglm.fleet.inference.engine.ExecutionProvider;
import io.autoglm.fleet.inference.serving.ColdStart;
import io.autoglm.fleet.inference.serving.HeadStart;
import io.autoglm.fleet.inference.serving.InferenceObserver;
import io.autoglm.fleet.inference.serving.InferenceService;
import io.autoglm.fleet.inference.remote.RemoteVersion;
import io.autoglm.fleet.inference.serving.ModelLoader;
import io.autoglm.fleet.inference.serving.ServedModels;
import io.autoglm.fleet.modelstore.ModelRef;
import io.autoglm.fleet.modelstore.ModelStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Builds the inference tier from configuration and runs its background work: the first load starts
 * at process start on its own thread, taking what the entry point's {@link ModelHeadStart} loaded when
 * it read the same settings (the HTTP server opens meanwhile; readiness stays DOWN until the models
 * are warm); swaps run one at a time on the same thread, and the store is re-read periodically for
 * promotions whose event was missed.
 */
@Singleton
public class InferenceWiring {

    private static final Logger LOG = Logger.getLogger(InferenceWiring.class);

    private final ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "model-loader");
        t.setDaemon(true);
        return t;
    });

    /** Closed after the first load: whatever the head start loaded and the served models did not take. */
    private volatile HeadStart<?> headStart;

    @Produces
    @Singleton
    ModelStore store(InferenceSettings settings) {
        return openStore(settings);
    }

    static ModelStore openStore(InferenceSettings settings) {
        return ModelStore.open(settings.store(), Path.of(settings.cacheDir()), null);
    }

    static List<ModelRef> refs(InferenceSettings settings) {
        return settings.models().stream().map(ModelRef::parse).toList();
    }

    /** The versions and splits the store's aliases name. */
    static ServedModels.Versions versions(ModelStore store) {
        return new ServedModels.Versions() {
            @Override
            public int resolve(ModelRef ref) {
                return store.resolve(ref);
            }

            @Override
            public java.util.Optional<io.autoglm.fleet.modelstore.AliasTable.Split> split(ModelRef ref) {
                return store.aliases(ref.name()).split(ref.alias());
            }
        };
    }

    static ModelLoader loader(InferenceSettings settings, ModelStore store, InferenceObserver observer) {
        List<ExecutionProvider> providers = settings.providers().stream().map(ExecutionProvider::of).toList();
        return new ModelLoader(store, new ModelLoader.Settings(providers, settings.intraOpThreads(), settings.workers(), settings.cpuArena()),
                observer, manifest -> RemoteVersion.open(manifest, System.getenv()));
    }

    @Produces
    @Singleton
    ColdStart coldStart(InferenceMetrics metrics) {
        return new ColdStart(ColdStart.processStart(), Clock.systemUTC(), metrics);
    }

    @Produces
    @Singleton
    ServedModels servedModels(InferenceSettings settings, ModelStore store, InferenceMetrics metrics) {
        ModelLoader loader = loader(settings, store, metrics);
        ServedModels.Loader load = loader::load;
        Optional<HeadStart<ModelHeadStart.LoadSettings>> begun = ModelHeadStart.take();
        if (begun.isPresent()) {
            HeadStart<ModelHeadStart.LoadSettings> ahead = begun.get();
            headStart = ahead;
            ModelHeadStart.LoadSettings mine = ModelHeadStart.LoadSettings.of(settings);
            load = (name, version) -> ahead.take(mine, name, version, metrics).orElseGet(() -> loader.load(name, version));
        }
        return new ServedModels(refs(settings), versions(store), load, metrics, settings.coldStartWait());
    }

    @Produces
    @Singleton
    InferenceService service(ServedModels models, InferenceSettings settings, ColdStart coldStart) {
        return new InferenceService(models, settings.requestTimeout(), coldStart);
    }

    void start(@Observes StartupEvent event, ServedModels models, ColdStart coldStart, InferenceSettings settings) {
        background.execute(() -> {
            models.refreshAll();
            if (models.ready()) {
                coldStart.ready();
            }
            HeadStart<?> ahead = headStart;
            if (ahead != null) {
                ahead.close();
            }
        });
        long poll = settings.storePollInterval().toMillis();
        if (poll > 0) {
            background.scheduleWithFixedDelay(() -> refreshQuietly(models, coldStart), poll, poll, TimeUnit.MILLISECONDS);
        }
    }

    /** Re-reads the store for {@code model} (all models when null) on the background thread. */
    public void refreshLater(ServedModels models, ColdStart coldStart, String model) {
        background.execute(() -> {
            if (model == null) {
                refreshQuietly(models, coldStart);
            } else {
                models.refresh(model);
            }
        });
    }

    private static void refreshQuietly(ServedModels models, ColdStart coldStart) {
        try {
            models.refreshAll();
            if (models.ready()) {
                coldStart.ready();
            }
        } catch (RuntimeException e) {
            LOG.warnf("refreshing the served models failed: %s", e.toString());
        }
    }

    void stop(@Observes ShutdownEvent event, ServedModels models, ModelStore store) {
        background.shutdownNow();
        models.close();
        store.close();
    }
}
