package io.autoglm.fleet.modelstore;

import java.util.Objects;

/**
 * A small document read from a backend together with a tag identifying that exact revision
 * (an S3 ETag, a content hash on a filesystem), for compare-and-set writes.
 */
public record StoredDocument(byte[] bytes, String tag) {
    public StoredDocument {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(tag, "tag");
    }
}
