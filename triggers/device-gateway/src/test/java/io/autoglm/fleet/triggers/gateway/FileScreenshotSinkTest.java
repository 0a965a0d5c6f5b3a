package io.autoglm.fleet.triggers.gateway;

import io.autoglm.fleet.events.agent.ScreenshotRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class FileScreenshotSinkTest {

    @TempDir
    Path directory;

    private final byte[] png = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};

    @Test
    void aScreenshotIsStoredByItsContentAndTheClaimCheckSaysWhereAndWhat() throws Exception {
        FileScreenshotSink sink = new FileScreenshotSink(directory, Duration.ofHours(1), Runnable::run);

        ScreenshotRef stored = sink.store("acme", "d-1", png, 1080, 2400).join();
        ScreenshotRef again = sink.store("acme", "d-1", png, 1080, 2400).join();

        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(png));
        assertThat(stored.sha256()).isEqualTo(sha256);
        assertThat(stored.uri().getScheme()).isEqualTo("file");
        assertThat(Files.readAllBytes(Path.of(stored.uri()))).isEqualTo(png);
        assertThat(Path.of(stored.uri())).isEqualTo(directory.resolve("acme/d-1/" + sha256 + ".png"));
        assertThat(again).isEqualTo(stored);
        assertThat(stored.width()).isEqualTo(1080);
        try (var files = Files.list(directory.resolve("acme/d-1"))) {
            assertThat(files).as("no partial file left behind").hasSize(1);
        }
    }

    @Test
    void screenshotsPastTheirTtlAreSwept() throws Exception {
        FileScreenshotSink sink = new FileScreenshotSink(directory, Duration.ofHours(1), Runnable::run);
        Path old = Path.of(sink.store("acme", "d-1", png, 1, 1).join().uri());
        Path fresh = Path.of(sink.store("acme", "d-2", new byte[] {1, 2}, 1, 1).join().uri());
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofHours(2))));

        assertThat(sink.sweep(Instant.now())).isEqualTo(1);

        assertThat(old).doesNotExist();
        assertThat(fresh).exists();
    }
}
