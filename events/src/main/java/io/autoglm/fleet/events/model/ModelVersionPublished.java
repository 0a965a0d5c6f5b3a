package io.autoglm.fleet.events.model;

import java.time.Instant;
import java.util.Objects;

/**
 * Payload of {@code io.autoglm.model.version.published}: a new immutable version is in the store.
 *
 * @param digest sha256 over the version's manifest ({@code model.json}), which lists every file's sha256
 * @param store  where the store lives ({@code file:///...} or {@code s3://bucket/prefix})
 */
public record ModelVersionPublished(
        String model,
        int version,
        String format,
        String precision,
        String digest,
        long sizeBytes,
        String store,
        Instant publishedAt) {

    public ModelVersionPublished {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(digest, "digest");
    }
}
