package io.autoglm.fleet.modelstore.s3;

import io.autoglm.fleet.modelstore.Checksums;
import io.autoglm.fleet.modelstore.ModelFile;
import io.autoglm.fleet.modelstore.ModelManifest;
import io.autoglm.fleet.modelstore.ModelNotFoundException;
import io.autoglm.fleet.modelstore.ModelRef;
import io.autoglm.fleet.modelstore.ModelStoreException;
import io.autoglm.fleet.modelstore.ProgressListener;
import io.autoglm.fleet.modelstore.StoreBackend;
import io.autoglm.fleet.modelstore.StoredDocument;
import io.autoglm.fleet.modelstore.VersionConflictException;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model store in an S3-compatible bucket, for clusters. Object storage has no rename, so a version
 * is published in three steps: a {@code .claim} object created only if absent (two publishers cannot
 * both own a version number), the files, and last the {@code model.json}, also created only if
 * absent. Readers only believe versions whose manifest exists, so they never see half a version.
 * The aliases document is replaced with {@code If-Match} on its ETag (compare-and-set). Engines get a
 * local copy of a version in a download cache.
 */
public final class S3Backend implements StoreBackend {

    private static final String CLAIM = ".claim";
    private static final Pattern VERSION_KEY = Pattern.compile("([1-9][0-9]{0,8})/(.+)");

    private final S3Bucket objects;
    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final Path cacheRoot;

    /**
     * @param prefix    key prefix of the store inside the bucket, "" for the bucket root
     * @param cacheRoot local directory for downloaded versions and engine caches
     */
    public S3Backend(S3Client s3, String bucket, String prefix, Path cacheRoot) {
        this.objects = new S3Bucket(s3, bucket, prefix, ModelStoreException::new);
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = objects.prefix();
        this.cacheRoot = Objects.requireNonNull(cacheRoot, "cacheRoot").toAbsolutePath().resolve(bucket).resolve(S3Bucket.trimmedPrefix(prefix));
    }

    @Override
    public String location() {
        return objects.location();
    }

    @Override
    public List<String> models() {
        TreeSet<String> names = new TreeSet<>();
        for (String child : objects.children(prefix)) {
            String name = child.substring(prefix.length()).replace("/", "");
            if (ModelRef.NAME.matcher(name).matches()) {
                names.add(name);
            }
        }
        return names.stream().filter(name -> !versions(name).isEmpty() || readAliases(name).isPresent()).toList();
    }

    @Override
    public List<Integer> versions(String model) {
        TreeSet<Integer> versions = new TreeSet<>();
        forEachVersionKey(model, (version, rest) -> {
            if (rest.equals(ModelManifest.FILE_NAME)) {
                versions.add(version);
            }
        });
        return List.copyOf(versions);
    }

    @Override
    public int highestClaimedVersion(String model) {
        int[] highest = {0};
        forEachVersionKey(model, (version, rest) -> highest[0] = Math.max(highest[0], version));
        return highest[0];
    }

    private void forEachVersionKey(String model, java.util.function.BiConsumer<Integer, String> action) {
        String modelPrefix = modelPrefix(model);
        objects.run("list versions of " + model, () -> s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(modelPrefix))
                .contents().forEach(o -> {
                    Matcher m = VERSION_KEY.matcher(o.key().substring(modelPrefix.length()));
                    if (m.matches()) {
                        action.accept(Integer.valueOf(m.group(1)), m.group(2));
                    }
                }));
    }

    @Override
    public Optional<byte[]> readManifest(String model, int version) {
        return objects.read(versionPrefix(model, version) + ModelManifest.FILE_NAME).map(ResponseBytes::asByteArray);
    }

    @Override
    public InputStream openFile(String model, int version, String path) {
        String key = versionPrefix(model, version) + ModelFile.checkPath(path);
        return objects.open(key).orElseThrow(() -> new ModelNotFoundException(model + "@" + version + " has no file " + path));
    }

    @Override
    public VersionUpload beginVersion(String model, int version) {
        String versionPrefix = versionPrefix(model, version);
        if (objects.read(versionPrefix + ModelManifest.FILE_NAME).isPresent()) {
            throw new VersionConflictException(model + "@" + version + " already exists; versions are immutable");
        }
        String owner = UUID.randomUUID() + " " + Instant.now();
        createIfAbsent(versionPrefix + CLAIM, owner.getBytes(StandardCharsets.UTF_8),
                model + "@" + version + " is being published by someone else");
        return new Upload(model, version, versionPrefix, owner);
    }

    @Override
    public Optional<StoredDocument> readAliases(String model) {
        return objects.read(modelPrefix(model) + io.autoglm.fleet.modelstore.AliasTable.FILE_NAME)
                .map(bytes -> new StoredDocument(bytes.asByteArray(), bytes.response().eTag()));
    }

    @Override
    public void writeAliases(String model, byte[] json, String expectedTag) {
        String key = modelPrefix(model) + io.autoglm.fleet.modelstore.AliasTable.FILE_NAME;
        String conflict = expectedTag == null
                ? "the aliases of " + model + " were created meanwhile; read them again and retry"
                : "the aliases of " + model + " changed meanwhile; read them again and retry";
        conditionalPut(key, json, expectedTag, conflict);
    }

    @Override
    public void deleteVersion(String model, int version) {
        String versionPrefix = versionPrefix(model, version);
        objects.delete(versionPrefix + ModelManifest.FILE_NAME);
        objects.deleteAll(versionPrefix);
    }

    @Override
    public int removeAbandonedUploads(String model, Duration olderThan) {
        Map<Integer, S3Object> claims = new HashMap<>();
        TreeSet<Integer> published = new TreeSet<>();
        String modelPrefix = modelPrefix(model);
        objects.run("list uploads of " + model, () -> s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(modelPrefix))
                .contents().forEach(o -> {
                    Matcher m = VERSION_KEY.matcher(o.key().substring(modelPrefix.length()));
                    if (m.matches() && m.group(2).equals(CLAIM)) {
                        claims.put(Integer.valueOf(m.group(1)), o);
                    } else if (m.matches() && m.group(2).equals(ModelManifest.FILE_NAME)) {
                        published.add(Integer.valueOf(m.group(1)));
                    }
                }));
        Instant cutoff = Instant.now().minus(olderThan);
        int removed = 0;
        for (Map.Entry<Integer, S3Object> claim : claims.entrySet()) {
            if (!published.contains(claim.getKey()) && claim.getValue().lastModified().isBefore(cutoff)) {
                objects.deleteAll(versionPrefix(model, claim.getKey()));
                removed++;
            }
        }
        return removed;
    }

    @Override
    public Path localDirectory(String model, int version, ModelManifest manifest, ProgressListener progress) {
        Path dir = localVersionDir(model, version);
        for (ModelFile file : manifest.files()) {
            Path local = dir.resolve(file.path());
            try {
                if (Files.isRegularFile(local) && Files.size(local) == file.size()) {
                    continue;
                }
                download(versionPrefix(model, version) + file.path(), local, file.path(), file.size(), progress);
            } catch (IOException e) {
                throw new ModelStoreException("cannot cache " + file.path() + " of " + model + "@" + version + " in " + dir + ": " + e, e);
            }
        }
        return dir;
    }

    @Override
    public Path engineCache(String model, int version, String architecture) {
        Path dir = localVersionDir(model, version).resolve(ModelManifest.ENGINE_CACHE_DIR).resolve(architecture);
        String cachePrefix = engineCachePrefix(model, version, architecture);
        try {
            Files.createDirectories(dir);
            for (S3Object o : objects.list(cachePrefix)) {
                Path local = dir.resolve(o.key().substring(cachePrefix.length()));
                if (!Files.isRegularFile(local) || Files.size(local) != o.size()) {
                    download(o.key(), local, local.getFileName().toString(), o.size(), ProgressListener.NONE);
                }
            }
        } catch (IOException e) {
            throw new ModelStoreException("cannot prepare the engine cache " + dir + ": " + e, e);
        }
        return dir;
    }

    @Override
    public void saveEngineCache(String model, int version, String architecture) {
        Path dir = localVersionDir(model, version).resolve(ModelManifest.ENGINE_CACHE_DIR).resolve(architecture);
        String cachePrefix = engineCachePrefix(model, version, architecture);
        Map<String, Long> stored = new HashMap<>();
        objects.list(cachePrefix).forEach(o -> stored.put(o.key(), o.size()));
        try (var files = Files.list(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String key = cachePrefix + file.getFileName();
                if (!Objects.equals(stored.get(key), Files.size(file))) {
                    objects.run("upload " + key, () -> s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(file)));
                }
            }
        } catch (IOException e) {
            throw new ModelStoreException("cannot read the engine cache " + dir + ": " + e, e);
        }
    }

    @Override
    public void close() {
        s3.close();
    }

    private String modelPrefix(String model) {
        return prefix + ModelRef.checkName(model) + "/";
    }

    private String versionPrefix(String model, int version) {
        return modelPrefix(model) + ModelRef.checkVersion(version) + "/";
    }

    private String engineCachePrefix(String model, int version, String architecture) {
        return versionPrefix(model, version) + ModelManifest.ENGINE_CACHE_DIR + "/" + architecture + "/";
    }

    private Path localVersionDir(String model, int version) {
        return cacheRoot.resolve(ModelRef.checkName(model)).resolve(Integer.toString(version));
    }

    /** Creates {@code key} only if it does not exist ({@code If-None-Match: *}), else a conflict. */
    private void createIfAbsent(String key, byte[] bytes, String conflict) {
        conditionalPut(key, bytes, null, conflict);
    }

    /**
     * A compare-and-set PUT: {@code If-Match} on {@code expectedTag}, or {@code If-None-Match: *} when
     * it is null. A refused precondition is a {@link VersionConflictException}. When the answer is lost
     * (a server may refuse the precondition before reading the body and close the connection, so the
     * client sees only an end of stream), what the bucket holds now decides: our bytes are there, so
     * the write landed; the object moved on, so it is a conflict; nothing changed, so try again.
     */
    private void conditionalPut(String key, byte[] bytes, String expectedTag, String conflict) {
        for (int attempt = 1; ; attempt++) {
            try {
                s3.putObject(b -> {
                    b.bucket(bucket).key(key).contentType(key.endsWith(".json") ? "application/json" : "text/plain");
                    if (expectedTag == null) {
                        b.ifNoneMatch("*");
                    } else {
                        b.ifMatch(expectedTag);
                    }
                }, RequestBody.fromBytes(bytes));
                return;
            } catch (S3Exception e) {
                if (e.statusCode() == 412 || e.statusCode() == 409) {
                    throw new VersionConflictException(conflict);
                }
                throw objects.failure("write " + key, e);
            } catch (SdkException | UncheckedIOException e) {
                Optional<ResponseBytes<GetObjectResponse>> now = objects.read(key);
                if (now.isPresent() && Arrays.equals(now.get().asByteArray(), bytes)) {
                    return;
                }
                boolean unchanged = expectedTag == null
                        ? now.isEmpty()
                        : now.map(n -> expectedTag.equals(n.response().eTag())).orElse(false);
                if (!unchanged) {
                    throw new VersionConflictException(conflict);
                }
                if (attempt == 3) {
                    throw new ModelStoreException("cannot write " + key + " in " + location() + ": " + e.getMessage(), e);
                }
            }
        }
    }

    private void download(String key, Path local, String path, long size, ProgressListener progress) throws IOException {
        Files.createDirectories(local.getParent());
        Path temp = local.resolveSibling("." + local.getFileName() + ".part-" + UUID.randomUUID());
        try (InputStream in = s3.getObject(b -> b.bucket(bucket).key(key));
             var out = Files.newOutputStream(temp)) {
            Checksums.copy(in, out, "download", path, size, progress);
        } catch (SdkException e) {
            Files.deleteIfExists(temp);
            throw objects.failure("download " + key, e);
        }
        Files.move(temp, local, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private final class Upload implements VersionUpload {
        private final String model;
        private final int version;
        private final String versionPrefix;
        private final String owner;
        private final List<String> keys = new ArrayList<>();
        private boolean committed;

        Upload(String model, int version, String versionPrefix, String owner) {
            this.model = model;
            this.version = version;
            this.versionPrefix = versionPrefix;
            this.owner = owner;
        }

        @Override
        public ModelFile addFile(String path, Path source, ProgressListener progress) {
            String key = versionPrefix + ModelFile.checkPath(path);
            try {
                long size = Files.size(source);
                Checksums.Digest digest;
                try (InputStream in = Files.newInputStream(source)) {
                    digest = Checksums.sha256(in, "hash", path, size, progress);
                }
                progress.progress("upload", path, 0, size);
                objects.run("upload " + key, () -> s3.putObject(b -> b.bucket(bucket).key(key).contentLength(size), RequestBody.fromFile(source)));
                keys.add(key);
                progress.progress("upload", path, size, size);
                if (Files.size(source) != digest.size()) {
                    throw new ModelStoreException(source + " changed while it was being published");
                }
                return digest.asFile(path);
            } catch (IOException e) {
                throw new ModelStoreException("cannot read " + source + ": " + e, e);
            }
        }

        @Override
        public void commit(byte[] manifest) {
            String claim = objects.read(versionPrefix + CLAIM).map(b -> b.asString(StandardCharsets.UTF_8)).orElse("");
            if (!claim.equals(owner)) {
                throw new VersionConflictException(model + "@" + version + " was claimed by another publisher meanwhile");
            }
            createIfAbsent(versionPrefix + ModelManifest.FILE_NAME, manifest,
                    model + "@" + version + " was published meanwhile; versions are immutable");
            committed = true;
            objects.delete(versionPrefix + CLAIM);
        }

        @Override
        public void close() {
            if (!committed) {
                keys.forEach(objects::delete);
                objects.delete(versionPrefix + CLAIM);
            }
        }
    }
}
