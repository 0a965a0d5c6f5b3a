package io.autoglm.fleet.triggers.gateway;

import io.autoglm.fleet.events.agent.ScreenshotRef;
import io.autoglm.fleet.events.fixtures.SamplePayloads;
import io.autoglm.fleet.modelstore.blob.FileSystemBlobStore;
import io.autoglm.fleet.modelstore.blob.InvalidBlobException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Screenshots into the model store's filesystem blob store, as a claim check. */
class BlobScreenshotsTest {

    @TempDir
    Path directory;

    @Test
    void aScreenshotIsStoredUnderItsTenantAndTheClaimCheckSaysWhereAndWhat() throws Exception {
        byte[] png = Base64.getDecoder().decode(SamplePayloads.commandCompletedOnTheSocket().observation().png());
        try (FileSystemBlobStore blobs = new FileSystemBlobStore(directory)) {
            BlobScreenshots screenshots = new BlobScreenshots(blobs, Duration.ofHours(2), Runnable::run);

            ScreenshotRef stored = screenshots.store("acme", "d-1", png, 1, 1).join();

            assertThat(stored.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(png)));
            assertThat(stored.uri().getScheme()).isEqualTo("file");
            assertThat(Path.of(stored.uri())).startsWith(directory.resolve("acme"));
            assertThat(Files.readAllBytes(Path.of(stored.uri()))).isEqualTo(png);
            assertThat(stored.width()).isEqualTo(1);
            assertThat(screenshots.store("acme", "d-1", png, 1, 1).join()).as("the same bytes are the same blob").isEqualTo(stored);
        }
    }

    @Test
    void bytesThatAreNotAPngAreTheDevicesFault() {
        try (FileSystemBlobStore blobs = new FileSystemBlobStore(directory)) {
            BlobScreenshots screenshots = new BlobScreenshots(blobs, Duration.ofHours(2), Runnable::run);
            assertThatThrownBy(() -> screenshots.store("acme", "d-1", "GIF89a...".getBytes(), 1, 1).join())
                    .isInstanceOf(CompletionException.class).hasCauseInstanceOf(InvalidBlobException.class);
        }
    }
}
