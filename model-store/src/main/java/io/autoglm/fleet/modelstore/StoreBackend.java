package io.autoglm.fleet.modelstore;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where a model store keeps its bytes: a filesystem directory or an S3-compatible bucket. The
 * {@link ModelStore} does the model logic (numbering, checksums, aliases, events) once, over this;
 * a backend only has to make a version appear atomically and make compare-and-set writes of the
 * aliases document.
 *
 * <p>Layout, the same in both: {@code <model>/<version>/<files...>}, {@code <model>/<version>/model.json}
 * (the commit: a version exists once its manifest does), {@code <model>/aliases.json}, and the
 * TensorRT engine cache under {@code <model>/<version>/trt/<arch>/}.
 */
public interface StoreBackend extends AutoCloseable {

    /** Where the store lives, as a URI: {@code file:///var/lib/models} or {@code s3://bucket/prefix}. */
    String location();

    /** Names of models with at least one published version or an aliases document. */
    List<String> models();

    /** Published versions of a model (those whose manifest exists), ascending. */
    List<Integer> versions(String model);

    /** The highest version number ever claimed for the model, published or not; 0 when none. */
    int highestClaimedVersion(String model);

    Optional<byte[]> readManifest(String model, int version);

    /** Opens a file of a published version for reading. */
    InputStream openFile(String model, int version, String path);

    /**
     * Claims {@code version} for a new upload; fails with {@link VersionConflictException} when that
     * version is published or being uploaded by someone else.
     */
    VersionUpload beginVersion(String model, int version);

    Optional<StoredDocument> readAliases(String model);

    /**
     * Writes the aliases document if it is still at {@code expectedTag} (null: if there is none yet);
     * otherwise {@link VersionConflictException}.
     */
    void writeAliases(String model, byte[] json, String expectedTag);

    /** Removes a version: first its manifest (so it stops existing at once), then its files. */
    void deleteVersion(String model, int version);

    /** Removes uploads that were begun more than {@code olderThan} ago and never committed; returns how many. */
    int removeAbandonedUploads(String model, Duration olderThan);

    /**
     * A local directory holding the version's files, for an engine to load: the version directory
     * itself on a filesystem, a download cache for object storage. Checksums are the caller's to verify.
     */
    Path localDirectory(String model, int version, ModelManifest manifest, ProgressListener progress);

    /**
     * The local directory for a version's TensorRT engine cache for one GPU architecture
     * ({@code <version>/trt/<arch>/}), filled with what the store already holds.
     */
    Path engineCache(String model, int version, String architecture);

    /** Keeps what an engine wrote into {@link #engineCache} in the store, so the next cold start reuses it. */
    void saveEngineCache(String model, int version, String architecture);

    @Override
    void close();

    /** A version being uploaded: files go in, then {@link #commit} makes them visible all at once. */
    interface VersionUpload extends AutoCloseable {

        /**
         * Copies {@code source} into the version as {@code path} and returns what was stored: size and
         * the sha256 of the bytes as written.
         */
        ModelFile addFile(String path, Path source, ProgressListener progress);

        /** Writes the manifest and makes the version visible, atomically for readers. */
        void commit(byte[] manifest);

        /** Discards an uncommitted upload; does nothing after {@link #commit}. */
        @Override
        void close();
    }
}
