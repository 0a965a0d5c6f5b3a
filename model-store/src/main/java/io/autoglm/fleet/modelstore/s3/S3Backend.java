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
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final Path cacheRoot;

    /**
     * @param prefix    key prefix of the store inside the bucket, "" for the bucket root
     * @param cacheRoot local directory for downloaded versions and engine caches
     */
    public S3Backend(S3Client s3, String bucket, String prefix, Path cacheRoot) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        String p = prefix == null ? "" : prefix.replaceAll("^/+|/+$", "");
        this.prefix = p.isEmpty() ? "" : p + "/";
        this.cacheRoot = Objects.requireNonNull(cacheRoot, "cacheRoot").toAbsolutePath().resolve(bucket).resolve(p);
    }

    @Override
    public String location() {
        return "s3://" + bucket + "/" + prefix;
    }

    @Override
    public List<String> models() {
        TreeSet<String> names = new TreeSet<>();
        call("list models", () -> s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix).delimiter("/"))
                .commonPrefixes().forEach(cp -> {
                    String name = cp.prefix().substring(prefix.length()).replace("/", "");
                    if (ModelRef.NAME.matcher(name).matches()) {
                        names.add(name);
                    }
                }));
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
        call("list versions of " + model, () -> s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(modelPrefix))
                .contents().forEach(o -> {
                    Matcher m = VERSION_KEY.matcher(o.key().substring(modelPrefix.length()));
                    if (m.matches()) {
                        action.accept(Integer.valueOf(m.group(1)), m.group(2));
                    }
                }));
    }

    @Override
    public Optional<byte[]> readManifest(String model, int version) {
        return read(versionPrefix(model, version) + ModelManifest.FILE_NAME).map(ResponseBytes::asByteArray);
    }

    @Override
    public InputStream openFile(String model, int version, String path) {
        String key = versionPrefix(model, version) + ModelFile.checkPath(path);
        try {
            return s3.getObject(b -> b.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            throw new ModelNotFoundException(model + "@" + version + " has no file " + path);
        } catch (SdkException e) {
            throw failure("read " + key, e);
        }
    }

    @Override
    public VersionUpload beginVersion(String model, int version) {
        String versionPrefix = versionPrefix(model, version);
        if (read(versionPrefix + ModelManifest.FILE_NAME).isPresent()) {
            throw new VersionConflictException(model + "@" + version + " already exists; versions are immutable");
        }
        String owner = UUID.randomUUID() + " " + Instant.now();
        createIfAbsent(versionPrefix + CLAIM, owner.getBytes(StandardCharsets.UTF_8),
                model + "@" + version + " is being published by someone else");
        return new Upload(model, version, versionPrefix, owner);
    }

    @Override
    public Optional<StoredDocument> readAliases(String model) {
        return read(modelPrefix(model) + io.autoglm.fleet.modelstore.AliasTable.FILE_NAME)
                .map(bytes -> new StoredDocument(bytes.asByteArray(), bytes.response().eTag()));
    }

    @Override
    public void writeAliases(String model, byte[] json, String expectedTag) {
        String key = modelPrefix(model) + io.autoglm.fleet.modelstore.AliasTable.FILE_NAME;
        if (expectedTag == null) {
            createIfAbsent(key, json, "the aliases of " + model + " were created meanwhile; read them again and retry");
            return;
        }
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).ifMatch(expectedTag).contentType("application/json"), RequestBody.fromBytes(json));
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                throw new VersionConflictException("the aliases of " + model + " changed meanwhile; read them again and retry");
            }
            throw failure("write " + key, e);
        } catch (SdkException e) {
            throw failure("write " + key, e);
        }
    }

    @Override
    public void deleteVersion(String model, int version) {
        String versionPrefix = versionPrefix(model, version);
        delete(versionPrefix + ModelManifest.FILE_NAME);
        deleteAll(versionPrefix);
    }

    @Override
    public int removeAbandonedUploads(String model, Duration olderThan) {
        Map<Integer, S3Object> claims = new HashMap<>();
        TreeSet<Integer> published = new TreeSet<>();
        String modelPrefix = modelPrefix(model);
        call("list uploads of " + model, () -> s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(modelPrefix))
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
                deleteAll(versionPrefix(model, claim.getKey()));
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
            for (S3Object o : list(cachePrefix)) {
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
        list(cachePrefix).forEach(o -> stored.put(o.key(), o.size()));
        try (var files = Files.list(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String key = cachePrefix + file.getFileName();
                if (!Objects.equals(stored.get(key), Files.size(file))) {
                    call("upload " + key, () -> s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(file)));
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

    private Optional<ResponseBytes<GetObjectResponse>> read(String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw failure("read " + key, e);
        } catch (SdkException e) {
            throw failure("read " + key, e);
        }
    }

    /** Creates {@code key} only if it does not exist ({@code If-None-Match: *}), else a conflict. */
    private void createIfAbsent(String key, byte[] bytes, String conflict) {
        try {
            s3.putObject(PutObjectRequest.builder().bucket(bucket).key(key).ifNoneMatch("*").build(), RequestBody.fromBytes(bytes));
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                throw new VersionConflictException(conflict);
            }
            throw failure("create " + key, e);
        } catch (SdkException e) {
            throw failure("create " + key, e);
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
            throw failure("download " + key, e);
        }
        Files.move(temp, local, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private List<S3Object> list(String keyPrefix) {
        List<S3Object> objects = new ArrayList<>();
        call("list " + keyPrefix, () -> s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(keyPrefix)).contents().forEach(objects::add));
        return objects;
    }

    private void delete(String key) {
        call("delete " + key, () -> s3.deleteObject(b -> b.bucket(bucket).key(key)));
    }

    private void deleteAll(String keyPrefix) {
        list(keyPrefix).forEach(o -> delete(o.key()));
    }

    private void call(String what, Runnable request) {
        try {
            request.run();
        } catch (SdkException e) {
            throw failure(what, e);
        }
    }

    private ModelStoreException failure(String what, SdkException e) {
        return new ModelStoreException("cannot " + what + " in " + location() + ": " + e.getMessage(), e);
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
                call("upload " + key, () -> s3.putObject(b -> b.bucket(bucket).key(key).contentLength(size), RequestBody.fromFile(source)));
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
            String claim = read(versionPrefix + CLAIM).map(b -> b.asString(StandardCharsets.UTF_8)).orElse("");
            if (!claim.equals(owner)) {
                throw new VersionConflictException(model + "@" + version + " was claimed by another publisher meanwhile");
            }
            createIfAbsent(versionPrefix + ModelManifest.FILE_NAME, manifest,
                    model + "@" + version + " was published meanwhile; versions are immutable");
            committed = true;
            delete(versionPrefix + CLAIM);
        }

        @Override
        public void close() {
            if (!committed) {
                keys.forEach(S3Backend.this::delete);
                delete(versionPrefix + CLAIM);
            }
        }
    }
}
