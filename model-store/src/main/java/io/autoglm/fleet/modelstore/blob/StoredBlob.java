package io.autoglm.fleet.modelstore.blob;

import io.autoglm.fleet.events.agent.ScreenshotRef;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * What a put stored: the key, the URI a reader fetches the bytes from until the blob expires (a
 * {@code file:} URI, or a presigned {@code https:} GET URL), and the size. Events carry the URI and the
 * sha256, never the bytes: {@link #screenshot} makes that claim check.
 */
public record StoredBlob(BlobKey key, URI uri, long size) {

    public StoredBlob {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(uri, "uri");
    }

    public String sha256() {
        return key.sha256();
    }

    /** When the blob goes: it can be read until then, and its URI works until then. */
    public Instant expiresAt() {
        return key.expiresAt();
    }

    public String contentType() {
        return key.type().contentType();
    }

    /** The reference an event carries for this screenshot of {@code width} x {@code height} pixels. */
    public ScreenshotRef screenshot(int width, int height) {
        return new ScreenshotRef(uri, sha256(), width, height);
    }
}
