package io.autoglm.fleet.modelstore.blob;

import io.autoglm.fleet.events.testing.ManualClock;
import io.autoglm.fleet.modelstore.testing.Screenshots;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileSystemBlobStoreTest extends BlobStoreContract {

    private Path root;

    @Override
    protected BlobStore newStore(ManualClock clock) {
        root = work.resolve("blobs");
        return new FileSystemBlobStore(root, clock);
    }

    @Override
    protected List<String> storedKeys() throws Exception {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/')).sorted().toList();
        }
    }

    @Override
    protected void tamper(BlobKey key, byte[] bytes) throws Exception {
        Files.write(root.resolve(key.path()), bytes);
    }

    @Test
    void aBlobIsAFileUnderTheRootThatAReaderOpensByItsUriAlone() throws Exception {
        byte[] png = Screenshots.png(1);

        StoredBlob blob = store.put("acme", png, PNG, Duration.ofHours(1));

        assertThat(blob.uri().getScheme()).isEqualTo("file");
        assertThat(blob.uri()).isEqualTo(root.resolve(blob.key().path()).toUri());
        assertThat(Files.readAllBytes(Path.of(blob.uri()))).as("what the inference function's reader does").isEqualTo(png);
        assertThat(store.location()).isEqualTo(root.toUri().toString());
    }

    @Test
    void aSecondPutOfTheSameScreenshotDoesNotRewriteItButOneOverCorruptedBytesRepairsThem() throws Exception {
        byte[] png = Screenshots.png(1);
        StoredBlob blob = store.put("acme", png, PNG, Duration.ofHours(1));
        Path file = Path.of(blob.uri());
        FileTime written = FileTime.from(Instant.parse("2026-01-01T00:00:00Z"));
        Files.setLastModifiedTime(file, written);

        store.put("acme", png, PNG, Duration.ofHours(1));
        assertThat(Files.getLastModifiedTime(file)).as("not written again").isEqualTo(written);

        tamper(blob.key(), Screenshots.png(2));
        store.put("acme", png, PNG, Duration.ofHours(1));
        assertThat(store.get(blob.key())).isEqualTo(png);
    }

    @Test
    void noTemporaryFileIsLeftBesideABlob() throws Exception {
        StoredBlob blob = store.put("acme", Screenshots.png(1), PNG, Duration.ofHours(1));

        try (Stream<Path> files = Files.list(Path.of(blob.uri()).getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(blob.sha256() + ".png");
        }
    }

    @Test
    void aSweepLeavesAloneWhatIsNotAnExpiryHourOfATenant() throws Exception {
        Files.createDirectories(root.resolve("acme/not-an-hour"));
        Files.createDirectories(root.resolve("Not_A_Tenant/2026-12-03-09"));
        Files.writeString(root.resolve("acme/not-an-hour/keep.txt"), "kept");
        Files.writeString(root.resolve("Not_A_Tenant/2026-12-03-09/keep.txt"), "kept");

        assertThat(store.sweepExpired(START.plus(Duration.ofDays(1)))).isZero();
        assertThat(storedKeys()).containsExactly("Not_A_Tenant/2026-12-03-09/keep.txt", "acme/not-an-hour/keep.txt");
    }

    @Test
    void aUriOutsideTheRootOrNotABlobKeyIsRefused() {
        assertThatThrownBy(() -> store.keyOf(work.resolve("elsewhere/acme/2026-12-03-11/x.png").toUri()))
                .isInstanceOf(InvalidBlobException.class).hasMessageContaining("is not a blob of");
        assertThatThrownBy(() -> store.keyOf(root.resolve("acme/2026-12-03-11/../../../etc/passwd").toUri()))
                .isInstanceOf(InvalidBlobException.class);
        assertThatThrownBy(() -> store.keyOf(root.resolve("acme/yesterday/" + "a".repeat(64) + ".png").toUri()))
                .isInstanceOf(InvalidBlobException.class).hasMessageContaining("'yesterday' is not an hour (yyyy-MM-dd-HH)");
    }

    @Test
    void theFactoryOpensADirectoryFromAFileUriOrAPathAndRefusesOtherSchemes() {
        try (BlobStore fromUri = BlobStores.fromUri(root.toUri().toString());
             BlobStore fromPath = BlobStores.fromUri(root.toString(), Clock.systemUTC())) {
            assertThat(fromUri).isInstanceOf(FileSystemBlobStore.class);
            assertThat(fromUri.location()).isEqualTo(store.location());
            assertThat(fromPath.location()).isEqualTo(store.location());
        }
        assertThatThrownBy(() -> BlobStores.fromUri("gs://bucket/blobs")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a blob store is a directory, a file: URI or s3://bucket/prefix, got 'gs://bucket/blobs'");
    }

    @Test
    void aUriItHandedOutIsReadThroughTheFactoryStore() {
        StoredBlob blob = store.put("acme", Screenshots.png(1), PNG, Duration.ofHours(1));
        try (BlobStore other = BlobStores.fromUri(root.toUri().toString(), clock)) {
            assertThat(other.get(other.keyOf(URI.create(blob.uri().toString())))).isEqualTo(store.get(blob.key()));
        }
    }
}
