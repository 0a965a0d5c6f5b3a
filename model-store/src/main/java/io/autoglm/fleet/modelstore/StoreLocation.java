package io.autoglm.fleet.modelstore;

import io.autoglm.fleet.modelstore.s3.S3Location;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a store (of models, of blobs) lives, as it is configured: a directory, given as a path or a
 * {@code file:} URI, or an S3 location ({@code s3://bucket/prefix?endpoint=...}, see {@link S3Location}).
 */
public sealed interface StoreLocation {

    /** A store in a local (or mounted) directory. */
    record Directory(Path path) implements StoreLocation {
        public Directory {
            Objects.requireNonNull(path, "path");
        }
    }

    /** A store in an S3-compatible bucket. */
    record Bucket(S3Location s3) implements StoreLocation {
        public Bucket {
            Objects.requireNonNull(s3, "s3");
        }
    }

    /**
     * @param kind what is being configured, for the message ("a model store")
     * @throws IllegalArgumentException when {@code location} is a URI of another scheme
     */
    static StoreLocation parse(String location, String kind) {
        Objects.requireNonNull(location, "location");
        if (location.startsWith("s3://")) {
            return new Bucket(S3Location.parse(location));
        }
        if (location.startsWith("file:")) {
            return new Directory(Path.of(URI.create(location)));
        }
        if (location.contains("://")) {
            throw new IllegalArgumentException(kind + " is a directory, a file: URI or s3://bucket/prefix, got '" + location + "'");
        }
        return new Directory(Path.of(location));
    }
}
