package io.autoglm.fleet.modelstore;

import io.autoglm.fleet.modelstore.testing.ModelFixtures;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class FileSystemModelStoreTest extends ModelStoreContract {

    private Path root;

    @Override
    protected StoreBackend newBackend() {
        root = work.resolve("store");
        return new FileSystemBackend(root);
    }

    @Override
    protected void tamper(String model, int version, String path, byte[] bytes) throws Exception {
        Files.write(root.resolve(model).resolve(Integer.toString(version)).resolve(path), bytes);
    }

    @Test
    void theLayoutIsModelVersionFilesWithModelJsonAndAliasesJson() throws Exception {
        ModelFixtures.publishLinear(store, "echo", work, 1f);
        store.promote("echo", "stable", 1);

        assertThat(root.resolve("echo/1/model.onnx")).isRegularFile();
        assertThat(root.resolve("echo/1/model.json")).isRegularFile();
        assertThat(root.resolve("echo/aliases.json")).content().contains("\"stable\" : 1");
        try (Stream<Path> entries = Files.list(root.resolve("echo"))) {
            assertThat(entries.map(p -> p.getFileName().toString())).as("no staging left behind")
                    .containsExactlyInAnyOrder("1", "aliases.json", ".aliases.lock");
        }
    }

    @Test
    void concurrentPublishersGetDistinctVersions() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<PublishedVersion>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                float scale = i + 1;
                results.add(pool.submit((Callable<PublishedVersion>) () -> ModelFixtures.publishLinear(store, "echo", work, scale)));
            }
            List<Integer> versions = new ArrayList<>();
            for (Future<PublishedVersion> result : results) {
                versions.add(result.get().manifest().version());
            }
            assertThat(versions).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8);
            for (int v = 1; v <= 8; v++) {
                assertThat(store.verify("echo", v, ProgressListener.NONE).ok()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentPromotionsAreNeverLost() throws Exception {
        for (int i = 1; i <= 8; i++) {
            ModelFixtures.publishLinear(store, "echo", work, i);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Promotion>> results = new ArrayList<>();
            for (int i = 1; i <= 8; i++) {
                int version = i;
                results.add(pool.submit(() -> store.promote("echo", "stable", version)));
            }
            for (Future<Promotion> result : results) {
                result.get();
            }
        } finally {
            pool.shutdownNow();
        }
        AliasTable table = store.aliases("echo");
        List<Integer> all = new ArrayList<>(table.history().get("stable"));
        all.add(table.aliases().get("stable"));
        assertThat(all).as("every promotion is either current or in the history").containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8);
    }

    @Test
    void gcRemovesUploadsAbandonedByACrash() throws Exception {
        Path crashed = Files.createDirectories(root.resolve("echo/.staging-1-crashed"));
        Files.writeString(crashed.resolve("model.onnx"), "partial");
        Files.setLastModifiedTime(crashed, FileTime.from(Instant.now().minus(ModelStore.ABANDONED_AFTER).minusSeconds(60)));
        ModelFixtures.publishLinear(store, "echo", work, 1f);

        assertThat(store.versions("echo")).containsExactly(1);
        assertThat(store.gc("echo", 1, false).abandonedUploads()).isEqualTo(1);
        assertThat(crashed).doesNotExist();
    }

    @Test
    void theEngineCacheLivesBesideTheVersionPerArchitecture() {
        ModelFixtures.publishLinear(store, "echo", work, 1f);
        Path cache = store.engineCache("echo", 1, "sm90");
        assertThat(cache).isEqualTo(root.resolve("echo/1/trt/sm90")).isDirectory();
        assertThat(store.verify("echo", 1, ProgressListener.NONE).ok()).as("the cache is not part of the version's files").isTrue();
    }
}
