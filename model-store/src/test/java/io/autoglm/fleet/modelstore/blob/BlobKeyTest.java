package io.autoglm.fleet.modelstore.blob;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BlobKeyTest {

    private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @Test
    void aKeyReadsBackFromItsPath() {
        BlobKey key = new BlobKey("acme", Instant.parse("2026-12-03T15:00:00Z"), SHA, BlobType.PNG);

        assertThat(key.path()).isEqualTo("acme/2026-12-03-15/" + SHA + ".png");
        assertThat(BlobKey.parse(key.path())).isEqualTo(key);
    }

    @Test
    void anExpiryIsRoundedUpToTheHourUnlessItIsOnTheHour() {
        assertThat(BlobKey.expiryBucket(Instant.parse("2026-12-03T14:00:00.001Z"))).isEqualTo(Instant.parse("2026-12-03T15:00:00Z"));
        assertThat(BlobKey.expiryBucket(Instant.parse("2026-12-03T15:00:00Z"))).isEqualTo(Instant.parse("2026-12-03T15:00:00Z"));
        assertThat(BlobKey.expiryBucket(Instant.parse("2026-12-31T23:59:59Z"))).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
    }

    @Test
    void aBlobHasExpiredFromItsHourOn() {
        BlobKey key = new BlobKey("acme", Instant.parse("2026-12-03T15:00:00Z"), SHA, BlobType.PNG);

        assertThat(key.expired(Instant.parse("2026-12-03T14:59:59.999Z"))).isFalse();
        assertThat(key.expired(Instant.parse("2026-12-03T15:00:00Z"))).isTrue();
    }

    @Test
    void aTtlUpToSevenDaysIsTakenAndEndsOnAnHour() {
        Instant now = Instant.parse("2026-12-03T10:20:00Z");
        BlobKey key = BlobKey.forContent("acme", new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, "image/png",
                Duration.ofDays(7), now);

        assertThat(key.expiresAt()).isEqualTo(Instant.parse("2026-12-10T11:00:00Z"));
    }

    @Test
    void whatIsNotAKeyIsRefusedSayingWhatAKeyLooksLike() {
        assertThatThrownBy(() -> BlobKey.parse("acme/" + SHA + ".png")).isInstanceOf(InvalidBlobException.class)
                .hasMessage("'acme/" + SHA + ".png' is not a blob key (<tenant>/<yyyy-MM-dd-HH>/<sha256>.<png|jpg>)");
        assertThatThrownBy(() -> BlobKey.parse("acme/2026-12-03-15/" + SHA + ".gif")).isInstanceOf(InvalidBlobException.class)
                .hasMessage("a blob's extension must be one of png, jpg, got 'gif'");
        assertThatThrownBy(() -> BlobKey.parse("acme/2026-13-03-15/" + SHA + ".png")).isInstanceOf(InvalidBlobException.class)
                .hasMessageContaining("is not an hour");
        assertThatThrownBy(() -> BlobKey.parse("ACME/2026-12-03-15/" + SHA + ".png")).isInstanceOf(InvalidBlobException.class)
                .hasMessageContaining("namespace is a tenant id");
        assertThatThrownBy(() -> new BlobKey("acme", Instant.parse("2026-12-03T15:30:00Z"), SHA, BlobType.PNG))
                .isInstanceOf(InvalidBlobException.class).hasMessage("a blob expires on the hour, got 2026-12-03T15:30:00Z");
        assertThatThrownBy(() -> BlobKey.parse(null)).isInstanceOf(InvalidBlobException.class);
    }
}
