package io.autoglm.fleet.functions.inference;

import io.autoglm.fleet.inference.serving.HeadStart;
import io.autoglm.fleet.modelstore.ModelRef;
import io.autoglm.fleet.modelstore.ModelStore;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSourceLoader;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Begins a {@link HeadStart} from the entry point, before Quarkus has booted: reads the function's
 * settings from the sources Quarkus reads them from (system properties, environment,
 * {@code application.properties}) and loads the configured models on a thread of their own, on the
 * core Quarkus's boot leaves idle. The wiring takes what it loaded only when the settings Quarkus
 * injected are the same ({@link LoadSettings}), so reading them differently here costs the head
 * start and nothing else.
 */
final class ModelHeadStart {

    private static final Logger LOG = Logger.getLogger(ModelHeadStart.class.getName());
    private static final CompletableFuture<HeadStart<LoadSettings>> BEGUN = new CompletableFuture<>();
    private static final AtomicBoolean BEGUN_BY_ENTRY_POINT = new AtomicBoolean();
    /** Whether some configured model runs in this process (true when that cannot be told). */
    private static final CompletableFuture<Boolean> LOCAL_ENGINES = new CompletableFuture<>();

    /** What a load depends on; a head start is taken only when these are equal. */
    record LoadSettings(String store, String cacheDir, List<String> models, List<String> providers, int intraOpThreads,
                        int workers, boolean cpuArena) {
        static LoadSettings of(InferenceSettings settings) {
            return new LoadSettings(settings.store(), settings.cacheDir(), List.copyOf(settings.models()), List.copyOf(settings.providers()),
                    settings.intraOpThreads(), settings.workers(), settings.cpuArena());
        }
    }

    private ModelHeadStart() {
    }

    /** Starts reading the settings and loading the models on a background thread; returns at once. */
    static void begin() {
        BEGUN_BY_ENTRY_POINT.set(true);
        ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
            Thread t = new Thread(runnable, "model-head-start");
            t.setDaemon(true);
            return t;
        });
        thread.execute(() -> {
            try {
                InferenceSettings settings = read();
                ModelStore store = InferenceWiring.openStore(settings);
                LOCAL_ENGINES.complete(anyLocal(store, InferenceWiring.refs(settings)));
                BEGUN.complete(HeadStart.begin(LoadSettings.of(settings), InferenceWiring.refs(settings), store::resolve,
                        observer -> InferenceWiring.loader(settings, store, observer)::load, thread));
                // queued behind the loads
                thread.execute(store::close);
            } catch (RuntimeException | LinkageError e) {
                LOG.info(() -> "no head start: the settings could not be read before the server's start (" + e + ")");
                LOG.log(Level.FINE, "head start", e);
                BEGUN.complete(null);
                LOCAL_ENGINES.complete(true);
            } finally {
                thread.shutdown();
            }
        });
    }

    private static boolean anyLocal(ModelStore store, List<ModelRef> refs) {
        try {
            return refs.stream().anyMatch(ref -> !store.manifest(ref).isRemote());
        } catch (RuntimeException e) {
            return true; // the loads will say what is wrong; warming the engines costs nothing then
        }
    }

    /**
     * Whether the native engines are worth warming: not when every configured model is served by a remote
     * backend (such a function loads nothing of ONNX Runtime). Waits for the head start's answer a little.
     */
    static boolean needsLocalEngines() {
        try {
            return LOCAL_ENGINES.get(5, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /**
     * The head start this process's entry point began, once; empty when there is none (tests start no
     * entry point) or it could not begin. Waits the few milliseconds reading the settings may still take.
     */
    static Optional<HeadStart<LoadSettings>> take() {
        if (!BEGUN_BY_ENTRY_POINT.compareAndSet(true, false)) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(BEGUN.get(10, TimeUnit.SECONDS));
        } catch (TimeoutException | ExecutionException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The function's settings as Quarkus would read them in its {@code prod} profile (or {@code quarkus.profile}). */
    static InferenceSettings read() {
        ClassLoader loader = ModelHeadStart.class.getClassLoader();
        String profile = System.getProperty("quarkus.profile", Objects.requireNonNullElse(System.getenv("QUARKUS_PROFILE"), "prod"));
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .forClassLoader(loader)
                .addDefaultInterceptors()
                .addDefaultSources()
                .withSources(PropertiesConfigSourceLoader.inClassPath("application.properties", 250, loader))
                .withSources(PropertiesConfigSourceLoader.inFileSystem(Path.of("config", "application.properties").toUri().toString(), 260, loader))
                .withProfile(profile)
                .withConverter(Duration.class, 200, new DurationConverter()) // Quarkus's "10s" as well as ISO-8601
                .withMapping(InferenceSettings.class)
                .withValidateUnknown(false)
                .build();
        return config.getConfigMapping(InferenceSettings.class);
    }
}
