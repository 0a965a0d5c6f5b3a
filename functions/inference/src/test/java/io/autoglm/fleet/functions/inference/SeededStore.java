package io.autoglm.fleet.functions.inference;

import io.autoglm.fleet.modelstore.Batching;
import io.autoglm.fleet.modelstore.FileSystemBackend;
import io.autoglm.fleet.modelstore.ModelStore;
import io.autoglm.fleet.modelstore.ProgressListener;
import io.autoglm.fleet.modelstore.SeedModel;
import io.autoglm.fleet.modelstore.testing.ModelFixtures;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A model store on disk for the function under test: the seed model (from its Maven jar on the test
 * class path) and a tiny tensor model {@code echo} ({@code y = x}, float32 [?, 4]), both promoted to
 * {@code stable}. Init arguments: {@code maxQueueSize}, {@code maxBatchSize}, {@code maxQueueDelayMs}
 * for the seed model's batching.
 */
public class SeededStore implements QuarkusTestResourceLifecycleManager {

    public static final String ECHO = "echo";
    private static volatile Path root;
    private Map<String, String> args = Map.of();

    @Override
    public void init(Map<String, String> initArgs) {
        this.args = initArgs;
    }

    @Override
    public Map<String, String> start() {
        try {
            root = Files.createTempDirectory("inference-store-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (ModelStore store = open()) {
            Batching batching = new Batching(Integer.parseInt(args.getOrDefault("maxBatchSize", "32")),
                    Long.parseLong(args.getOrDefault("maxQueueDelayMs", "5")), Integer.parseInt(args.getOrDefault("maxQueueSize", "256")));
            ModelFixtures.publishSeed(store, SeedModel.NAME, batching);
            store.promote(SeedModel.NAME, "stable", 1);
            store.publish(ModelFixtures.linearDraft(ECHO, root.resolve("work"), 4, 1f, new Batching(8, 2, 64)), null, ProgressListener.NONE);
            store.promote(ECHO, "stable", 1);
        }
        return Map.of(
                "autoglm.inference.store", root.toString(),
                "autoglm.inference.models", SeedModel.NAME + "," + ECHO,
                "autoglm.inference.store-poll-interval", args.getOrDefault("pollInterval", "0s"));
    }

    /** The store the function under test reads, for tests that publish and promote. */
    public static ModelStore open() {
        return ModelStore.of(new FileSystemBackend(root));
    }

    public static Path root() {
        return root;
    }

    @Override
    public void stop() {
        try (var walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory
        }
    }
}
