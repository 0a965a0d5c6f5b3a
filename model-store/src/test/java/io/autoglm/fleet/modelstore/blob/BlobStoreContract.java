package io.autoglm.fleet.modelstore.blob;

import io.autoglm.fleet.events.agent.ScreenshotRef;
import io.autoglm.fleet.events.testing.ManualClock;
import io.autoglm.fleet.modelstore.Checksums;
import io.autoglm.fleet.modelstore.testing.Screenshots;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What every blob store must do, run against each: the filesystem here, S3 against a real S3 server. */
public abstract class BlobStoreContract {

    /** 10:20 UTC: a 30-minute TTL expires at 11:00, an hour's at 12:00. */
    protected static final Instant START = Instant.parse("2026-12-03T10:20:00Z");
    protected static final String PNG = "image/png";

    @TempDir
    protected Path work;

    protected ManualClock clock;
    protected BlobStore store;

    /** A fresh, empty store for one test on {@code clock}. */
    protected abstract BlobStore newStore(ManualClock clock) throws Exception;

    /** Keys of everything the store holds, relative to its root or prefix, as a person listing it would see them. */
    protected abstract List<String> storedKeys() throws Exception;

    /** Overwrites a stored blob behind the store's back. */
    protected abstract void tamper(BlobKey key, byte[] bytes) throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        clock = new ManualClock(START);
        store = newStore(clock);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void aPutScreenshotIsStoredUnderItsTenantExpiryHourAndSha256AndReadBack() throws Exception {
        byte[] png = Screenshots.png(1);

        StoredBlob blob = store.put("acme", png, PNG, Duration.ofMinutes(30));

        String sha256 = Checksums.sha256(png);
        assertThat(blob.sha256()).isEqualTo(sha256);
        assertThat(blob.size()).isEqualTo(png.length);
        assertThat(blob.expiresAt()).as("rounded up to the hour").isEqualTo(Instant.parse("2026-12-03T11:00:00Z"));
        assertThat(blob.key().path()).isEqualTo("acme/2026-12-03-11/" + sha256 + ".png");
        assertThat(blob.contentType()).isEqualTo(PNG);
        assertThat(storedKeys()).containsExactly("acme/2026-12-03-11/" + sha256 + ".png");
        assertThat(store.get(blob.key())).isEqualTo(png);

        ScreenshotRef ref = blob.screenshot(24, 48);
        assertThat(ref.uri()).isEqualTo(blob.uri());
        assertThat(ref.sha256()).isEqualTo(sha256);
    }

    @Test
    void theUriAStoreHandsOutLeadsBackToTheBlob() {
        StoredBlob blob = store.put("acme", Screenshots.png(1), PNG, Duration.ofHours(1));

        assertThat(store.keyOf(blob.uri())).isEqualTo(blob.key());
        assertThat(store.keyOf(blob.uri(), "acme")).isEqualTo(blob.key());
        assertThat(store.get(blob.uri())).isEqualTo(store.get(blob.key()));
        assertThatThrownBy(() -> store.keyOf(URI.create("https://elsewhere.example/acme/2026-12-03-11/" + blob.sha256() + ".png")))
                .isInstanceOf(InvalidBlobException.class).hasMessageContaining("is not a blob of " + store.location());
        assertThatThrownBy(() -> store.keyOf(URI.create("ftp://acme/x.png"))).isInstanceOf(InvalidBlobException.class);
    }

    @Test
    void puttingTheSameScreenshotAgainIsTheSameBlobStoredOnce() throws Exception {
        byte[] png = Screenshots.png(1);
        StoredBlob first = store.put("acme", png, PNG, Duration.ofMinutes(30));
        clock.advance(Duration.ofMinutes(10));

        StoredBlob again = store.put("acme", png.clone(), PNG, Duration.ofMinutes(30));

        assertThat(again.key()).isEqualTo(first.key());
        assertThat(again.expiresAt()).isEqualTo(first.expiresAt());
        assertThat(storedKeys()).hasSize(1);
        assertThat(store.get(again.key())).isEqualTo(png);
    }

    @Test
    void aBlobIsReadableUntilItsExpiryHourAndNotFoundFromThenOnEvenBeforeASweep() {
        StoredBlob blob = store.put("acme", Screenshots.png(1), PNG, Duration.ofMinutes(30));

        clock.advance(Duration.ofMinutes(39));
        assertThat(store.get(blob.key())).as("10:59").isNotEmpty();

        clock.advance(Duration.ofMinutes(1));
        assertThatThrownBy(() -> store.get(blob.key())).as("11:00")
                .isInstanceOf(BlobNotFoundException.class).hasMessageContaining("expired at 2026-12-03T11:00:00Z");
    }

    @Test
    void aSweepRemovesTheExpiredHoursOfEveryTenantAndNothingElse() throws Exception {
        StoredBlob short1 = store.put("acme", Screenshots.png(1), PNG, Duration.ofMinutes(30));
        StoredBlob short2 = store.put("globex", Screenshots.png(2), PNG, Duration.ofMinutes(40));
        StoredBlob long1 = store.put("acme", Screenshots.png(3), PNG, Duration.ofHours(3));

        assertThat(store.sweepExpired(START.plus(Duration.ofMinutes(39)))).as("nothing has expired at 10:59").isZero();
        assertThat(storedKeys()).hasSize(3);

        assertThat(store.sweepExpired(Instant.parse("2026-12-03T11:00:00Z"))).isEqualTo(2);

        assertThat(storedKeys()).containsExactly(long1.key().path());
        assertThat(store.get(long1.key())).isNotEmpty();
        assertThat(store.delete(short1.key())).as("already swept").isFalse();
        assertThat(store.delete(short2.key())).isFalse();
        assertThat(store.sweepExpired(Instant.parse("2026-12-03T11:00:00Z"))).as("a second sweep finds nothing").isZero();
        assertThat(store.sweepExpired(Instant.parse("2026-12-03T14:00:00Z"))).isEqualTo(1);
        assertThat(storedKeys()).isEmpty();
    }

    @Test
    void tenantsDoNotShareBlobsEvenOfTheSameBytes() throws Exception {
        byte[] png = Screenshots.png(1);
        StoredBlob acme = store.put("acme", png, PNG, Duration.ofHours(1));
        StoredBlob globex = store.put("globex", png, PNG, Duration.ofHours(1));

        assertThat(acme.key()).isNotEqualTo(globex.key());
        assertThat(acme.uri()).isNotEqualTo(globex.uri());
        assertThat(storedKeys()).hasSize(2);

        assertThat(store.delete(acme.key())).isTrue();
        assertThat(store.get(globex.key())).isEqualTo(png);
        assertThatThrownBy(() -> store.get(acme.key())).isInstanceOf(BlobNotFoundException.class);
        assertThatThrownBy(() -> store.keyOf(globex.uri(), "acme"))
                .isInstanceOf(InvalidBlobException.class).hasMessageContaining("is not one of tenant acme's");
    }

    @Test
    void aDeletedBlobIsGone() {
        StoredBlob blob = store.put("acme", Screenshots.png(1), PNG, Duration.ofHours(1));

        assertThat(store.delete(blob.key())).isTrue();
        assertThat(store.delete(blob.key())).isFalse();
        assertThatThrownBy(() -> store.open(blob.key()))
                .isInstanceOf(BlobNotFoundException.class).hasMessageContaining("there is no blob " + blob.key());
    }

    @Test
    void bytesChangedBehindTheStoresBackAreRefusedOnRead() throws Exception {
        StoredBlob blob = store.put("acme", Screenshots.png(1), PNG, Duration.ofHours(1));
        tamper(blob.key(), Screenshots.png(2));

        assertThatThrownBy(() -> store.get(blob.key()))
                .isInstanceOf(BlobStoreException.class).isNotInstanceOf(InvalidBlobException.class)
                .hasMessageContaining("is corrupted");
    }

    @Test
    void badInputsAreRefusedSayingWhatIsWrong() throws Exception {
        byte[] png = Screenshots.png(1);
        Duration hour = Duration.ofHours(1);

        assertThatThrownBy(() -> store.put("acme", new byte[0], PNG, hour)).isInstanceOf(InvalidBlobException.class)
                .hasMessage("a blob must not be empty");
        assertThatThrownBy(() -> store.put("acme", new byte[BlobStore.MAX_BYTES + 1], PNG, hour))
                .isInstanceOf(InvalidBlobException.class).hasMessageContaining("at most 20 MiB");
        assertThatThrownBy(() -> store.put("acme", "not a png".getBytes(), PNG, hour)).isInstanceOf(InvalidBlobException.class)
                .hasMessage("the bytes are not image/png: they do not start with its signature");
        assertThatThrownBy(() -> store.put("acme", png, "image/gif", hour)).isInstanceOf(InvalidBlobException.class)
                .hasMessage("a blob's content type must be one of image/png, image/jpeg, got 'image/gif'");
        assertThatThrownBy(() -> store.put("acme", png, PNG, Duration.ZERO)).isInstanceOf(InvalidBlobException.class)
                .hasMessage("a blob's ttl must be positive and at most PT168H, got PT0S");
        assertThatThrownBy(() -> store.put("acme", png, PNG, Duration.ofDays(8))).isInstanceOf(InvalidBlobException.class)
                .hasMessageContaining("at most PT168H");
        assertThatThrownBy(() -> store.put("acme", png, PNG, null)).isInstanceOf(InvalidBlobException.class);
        for (String namespace : new String[] {"Acme", "../acme", "acme/x", "", "-acme"}) {
            assertThatThrownBy(() -> store.put(namespace, png, PNG, hour)).as(namespace).isInstanceOf(InvalidBlobException.class)
                    .hasMessageStartingWith("a blob's namespace is a tenant id: tenant must be 1-63 lowercase letters, digits or '-'");
        }
        assertThatThrownBy(() -> store.put(null, png, PNG, hour)).isInstanceOf(InvalidBlobException.class);
        assertThat(storedKeys()).as("nothing was written").isEmpty();
    }

    @Test
    void aJpegIsStoredAsOne() {
        byte[] jpeg = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 0x10, 'J', 'F', 'I', 'F'};

        StoredBlob blob = store.put("acme", jpeg, "IMAGE/JPEG", Duration.ofHours(1));

        assertThat(blob.key().path()).endsWith(".jpg");
        assertThat(blob.contentType()).isEqualTo("image/jpeg");
        assertThat(store.get(blob.key())).isEqualTo(jpeg);
    }
}
