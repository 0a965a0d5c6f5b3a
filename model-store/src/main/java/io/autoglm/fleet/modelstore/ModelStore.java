package io.autoglm.fleet.modelstore;

import io.autoglm.fleet.events.EventPublisher;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.model.ModelVersionPromoted;
import io.autoglm.fleet.events.model.ModelVersionPublished;
import io.cloudevents.CloudEvent;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The versioned model store: publish immutable versions, move aliases, roll back, verify, collect
 * garbage, and hand verified local copies to engines. Works the same over any {@link StoreBackend};
 * announces publications and promotions as {@code io.autoglm.model.version.published} /
 * {@code .promoted} events when given an {@link EventPublisher}.
 */
public final class ModelStore implements AutoCloseable {

    /** The implicit alias of the newest published version. */
    public static final String LATEST = "latest";
    /** The CloudEvents {@code source} of the store's events. */
    public static final URI EVENT_SOURCE = URI.create("/model-store");
    /** Uploads older than this and never committed are someone's crash; gc removes them. */
    public static final Duration ABANDONED_AFTER = Duration.ofHours(1);

    private static final Logger LOG = Logger.getLogger(ModelStore.class.getName());
    private static final int ATTEMPTS = 8;

    private final StoreBackend backend;
    private final EventPublisher events;
    private final Clock clock;
    private final Duration eventTimeout;

    /**
     * @param events where to announce publications and promotions; null for none
     */
    public ModelStore(StoreBackend backend, EventPublisher events, Clock clock, Duration eventTimeout) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.events = events;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.eventTimeout = Objects.requireNonNull(eventTimeout, "eventTimeout");
    }

    /**
     * Opens the store at {@code location}: {@code s3://bucket/prefix?endpoint=...} (see
     * {@link io.autoglm.fleet.modelstore.s3.S3Location}), a {@code file:} URI, or a directory path.
     *
     * @param cacheDir where an object-storage store keeps local copies of versions
     * @param events   where to announce publications and promotions; null for none
     */
    public static ModelStore open(String location, Path cacheDir, EventPublisher events) {
        return new ModelStore(backend(location, cacheDir), events, Clock.systemUTC(), Duration.ofSeconds(10));
    }

    static StoreBackend backend(String location, Path cacheDir) {
        StoreLocation where = StoreLocation.parse(location, "a model store");
        if (where instanceof StoreLocation.Bucket bucket) {
            return bucket.s3().backend(bucket.s3().client(), cacheDir);
        }
        return new FileSystemBackend(((StoreLocation.Directory) where).path());
    }

    /** A store without events, on the system clock. */
    public static ModelStore of(StoreBackend backend) {
        return new ModelStore(backend, null, Clock.systemUTC(), Duration.ofSeconds(10));
    }

    public String location() {
        return backend.location();
    }

    public StoreBackend backend() {
        return backend;
    }

    public List<String> models() {
        return backend.models();
    }

    public List<Integer> versions(String model) {
        return backend.versions(ModelRef.checkName(model));
    }

    public ModelManifest manifest(String model, int version) {
        byte[] json = backend.readManifest(model, version).orElseThrow(() -> versionNotFound(model, version));
        return ManifestJson.manifest(json, model + "@" + version + "/" + ModelManifest.FILE_NAME);
    }

    public AliasTable aliases(String model) {
        return backend.readAliases(ModelRef.checkName(model))
                .map(doc -> ManifestJson.read(doc.bytes(), AliasTable.class, model + "/" + AliasTable.FILE_NAME))
                .orElse(AliasTable.empty());
    }

    /**
     * The version a reference names: the pinned one if published, else the alias's target. The alias
     * {@value #LATEST} names the newest published version unless an alias of that name was promoted.
     */
    public int resolve(ModelRef ref) {
        if (ref.pinned()) {
            if (!versions(ref.name()).contains(ref.version())) {
                throw versionNotFound(ref.name(), ref.version());
            }
            return ref.version();
        }
        AliasTable aliases = aliases(ref.name());
        if (LATEST.equals(ref.alias()) && aliases.version(LATEST).isEmpty()) {
            List<Integer> published = versions(ref.name());
            if (published.isEmpty()) {
                throw modelNotFound(ref.name());
            }
            return published.get(published.size() - 1);
        }
        return aliases.version(ref.alias()).orElseThrow(() -> {
            if (versions(ref.name()).isEmpty()) {
                return modelNotFound(ref.name());
            }
            return new ModelNotFoundException(ref.name() + " has no alias '" + ref.alias() + "'"
                    + (aliases.aliases().isEmpty() ? " (it has no aliases yet; promote a version first)" : " (aliases: " + describe(aliases) + ")"));
        });
    }

    public ModelManifest manifest(ModelRef ref) {
        return manifest(ref.name(), resolve(ref));
    }

    /**
     * Publishes a draft as a new immutable version: the next number when {@code version} is null.
     * The files are copied and hashed, then the version appears atomically with its manifest.
     */
    public PublishedVersion publish(ModelDraft draft, Integer version, ProgressListener progress) {
        String model = draft.manifest().name();
        ModelRef.checkName(model);
        if (version != null) {
            ModelRef.checkVersion(version);
        }
        for (int attempt = 1; ; attempt++) {
            int number = version != null ? version : backend.highestClaimedVersion(model) + 1;
            try {
                return publishAs(draft, number, progress);
            } catch (VersionConflictException e) {
                if (version != null || attempt >= ATTEMPTS) {
                    throw e;
                }
                LOG.fine(() -> "version " + number + " of " + model + " was taken meanwhile; trying the next");
            }
        }
    }

    private PublishedVersion publishAs(ModelDraft draft, int version, ProgressListener progress) {
        String model = draft.manifest().name();
        ModelManifest manifest;
        byte[] json;
        try (StoreBackend.VersionUpload upload = backend.beginVersion(model, version)) {
            List<ModelFile> files = new ArrayList<>();
            for (Map.Entry<String, Path> file : draft.files().entrySet()) {
                files.add(upload.addFile(file.getKey(), file.getValue(), progress));
            }
            manifest = draft.manifest().published(version, files, clock.instant());
            json = ManifestJson.write(manifest);
            upload.commit(json);
        }
        String digest = Checksums.sha256(json);
        LOG.info(() -> "published " + model + "@" + version + " (" + manifest.files().size() + " files, "
                + manifest.sizeBytes() + " bytes) in " + location());
        boolean announced = announce(Events.newEvent(EventType.MODEL_VERSION_PUBLISHED, EVENT_SOURCE, null, model,
                new ModelVersionPublished(model, version, manifest.format(), manifest.precision().name(), digest,
                        manifest.sizeBytes(), location(), manifest.createdAt())).build());
        return new PublishedVersion(manifest, digest, announced);
    }

    /** Points {@code alias} at a published {@code version}. */
    public Promotion promote(String model, String alias, int version) {
        ModelRef.checkAlias(alias);
        if (!versions(model).contains(version)) {
            throw versionNotFound(model, version);
        }
        return updateAliases(model, alias, table -> Optional.of(table.promote(alias, version, clock.instant())));
    }

    /**
     * Sends {@code percent} of {@code alias}'s requests to {@code version} (a canary), or, with
     * {@code percent} 0, all of them to the alias's own version again; announced as the alias's promotion.
     */
    public Promotion split(String model, String alias, int version, int percent) {
        ModelRef.checkAlias(alias);
        if (percent != 0 && !versions(model).contains(version)) {
            throw versionNotFound(model, version);
        }
        return updateAliases(model, alias, table -> {
            if (table.version(alias).isEmpty()) {
                throw new ModelNotFoundException(model + " has no alias '" + alias + "' whose traffic to split");
            }
            return Optional.of(percent == 0 ? table.withoutSplit(alias, clock.instant()) : table.withSplit(alias, version, percent, clock.instant()));
        });
    }

    /** Points {@code alias} back at the version it pointed at before its last promotion. */
    public Promotion rollback(String model, String alias) {
        ModelRef.checkAlias(alias);
        List<Integer> published = versions(model);
        return updateAliases(model, alias, table -> {
            if (table.version(alias).isEmpty()) {
                throw new ModelNotFoundException(model + " has no alias '" + alias + "' to roll back");
            }
            Optional<AliasTable> rolledBack = table.rollback(alias, published, clock.instant());
            if (rolledBack.isEmpty()) {
                throw new ModelNotFoundException(model + "@" + alias + " has no earlier version to roll back to (history: "
                        + table.history().getOrDefault(alias, List.of()) + ")");
            }
            return rolledBack;
        });
    }

    private Promotion updateAliases(String model, String alias, java.util.function.Function<AliasTable, Optional<AliasTable>> change) {
        for (int attempt = 1; ; attempt++) {
            Optional<StoredDocument> current = backend.readAliases(model);
            AliasTable table = current.map(doc -> ManifestJson.read(doc.bytes(), AliasTable.class, model + "/" + AliasTable.FILE_NAME))
                    .orElse(AliasTable.empty());
            AliasTable updated = change.apply(table).orElseThrow();
            try {
                backend.writeAliases(model, ManifestJson.write(updated), current.map(StoredDocument::tag).orElse(null));
            } catch (VersionConflictException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
                continue;
            }
            Integer previous = table.aliases().get(alias);
            int version = updated.aliases().get(alias);
            LOG.info(() -> model + "@" + alias + " -> " + version + (previous == null ? "" : " (was " + previous + ")"));
            boolean announced = announce(Events.newEvent(EventType.MODEL_VERSION_PROMOTED, EVENT_SOURCE, null, model,
                    new ModelVersionPromoted(model, alias, version, previous, location(), updated.updatedAt())).build());
            return new Promotion(model, alias, version, previous, announced);
        }
    }

    /** Checks every file of a version against its manifest: present, same size, same sha256. */
    public Verification verify(String model, int version, ProgressListener progress) {
        ModelManifest manifest = manifest(model, version);
        List<String> problems = new ArrayList<>();
        long bytes = checkFiles(manifest, path -> backend.openFile(model, version, path), progress, problems);
        return new Verification(model, version, manifest.files().size(), bytes, problems);
    }

    /**
     * The version a reference names, as a local directory whose files were just checked against the
     * manifest; {@link IntegrityException} when any differs.
     */
    public ModelVersionDirectory open(ModelRef ref, ProgressListener progress) {
        ModelVersionDirectory dir = fetch(ref, progress);
        checkIntegrity(dir, progress);
        return dir;
    }

    /**
     * The version a reference names, as a local directory (downloaded where the backend is remote),
     * <em>not yet checked</em>: whoever uses its files must call {@link #checkIntegrity} and act on
     * nothing from them before it returned. {@link #open} does both; this lets a loader check the
     * files while it prepares them (the inference function hashes while ONNX Runtime builds the session).
     */
    public ModelVersionDirectory fetch(ModelRef ref, ProgressListener progress) {
        int version = resolve(ref);
        ModelManifest manifest = manifest(ref.name(), version);
        return new ModelVersionDirectory(manifest, backend.localDirectory(ref.name(), version, manifest, progress));
    }

    /** Checks every file of a fetched version against its manifest (size and sha256); {@link IntegrityException} when any differs. */
    public void checkIntegrity(ModelVersionDirectory dir, ProgressListener progress) {
        ModelManifest manifest = dir.manifest();
        List<String> problems = new ArrayList<>();
        checkFiles(manifest, path -> Files.newInputStream(dir.file(path)), progress, problems);
        if (!problems.isEmpty()) {
            throw new IntegrityException(manifest.name(), manifest.version(), problems);
        }
    }

    /** Where {@link #checkFiles} reads a version's files from: the backend, or a local copy. */
    @FunctionalInterface
    private interface FileSource {
        InputStream open(String path) throws IOException;
    }

    /** Hashes every file of {@code manifest} from {@code source}, adding what differs to {@code problems}; the bytes read. */
    private static long checkFiles(ModelManifest manifest, FileSource source, ProgressListener progress, List<String> problems) {
        long bytes = 0;
        for (ModelFile file : manifest.files()) {
            try (InputStream in = source.open(file.path())) {
                Checksums.Digest digest = Checksums.sha256(in, "verify", file.path(), file.size(), progress);
                bytes += digest.size();
                problems.addAll(mismatches(file, digest));
            } catch (ModelNotFoundException | java.nio.file.NoSuchFileException e) {
                problems.add(file.path() + " is missing");
            } catch (IOException e) {
                problems.add(file.path() + " cannot be read: " + e.getMessage());
            }
        }
        return bytes;
    }

    /**
     * Removes all but the newest {@code keep} versions, never one an alias points at, and uploads
     * abandoned for over an hour.
     */
    public GarbageCollection gc(String model, int keep, boolean dryRun) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1, got " + keep);
        }
        List<Integer> published = versions(model);
        if (published.isEmpty() && backend.readAliases(model).isEmpty()) {
            throw modelNotFound(model);
        }
        Set<Integer> protectedVersions = aliases(model).targets();
        List<Integer> newest = published.subList(Math.max(0, published.size() - keep), published.size());
        List<Integer> removed = published.stream().filter(v -> !newest.contains(v) && !protectedVersions.contains(v)).toList();
        List<Integer> kept = published.stream().filter(v -> !removed.contains(v)).toList();
        int abandoned = 0;
        if (!dryRun) {
            removed.forEach(v -> backend.deleteVersion(model, v));
            abandoned = backend.removeAbandonedUploads(model, ABANDONED_AFTER);
        }
        return new GarbageCollection(model, removed, kept, abandoned, dryRun);
    }

    /** The local TensorRT engine cache directory of a version for one GPU architecture. */
    public Path engineCache(String model, int version, String architecture) {
        return backend.engineCache(model, version, architecture);
    }

    public void saveEngineCache(String model, int version, String architecture) {
        backend.saveEngineCache(model, version, architecture);
    }

    @Override
    public void close() {
        backend.close();
    }

    private static List<String> mismatches(ModelFile expected, Checksums.Digest actual) {
        List<String> problems = new ArrayList<>();
        if (actual.size() != expected.size()) {
            problems.add(expected.path() + " has " + actual.size() + " bytes, model.json says " + expected.size());
        } else if (!actual.sha256().equals(expected.sha256())) {
            problems.add(expected.path() + " has sha256 " + actual.sha256() + ", model.json says " + expected.sha256());
        }
        return problems;
    }

    private boolean announce(CloudEvent event) {
        if (events == null) {
            return false;
        }
        try {
            events.publish(event).get(eventTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            LOG.warning("the store changed but the " + event.getType() + " event could not be sent: " + e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private ModelNotFoundException versionNotFound(String model, int version) {
        List<Integer> published = versions(model);
        if (published.isEmpty()) {
            return modelNotFound(model);
        }
        return new ModelNotFoundException(model + "@" + version + " is not published (versions: "
                + published.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")");
    }

    private ModelNotFoundException modelNotFound(String model) {
        List<String> models = models();
        return new ModelNotFoundException("no model '" + model + "' in " + location()
                + (models.isEmpty() ? " (the store is empty)" : " (models: " + String.join(", ", models) + ")"));
    }

    private static String describe(AliasTable aliases) {
        return aliases.aliases().entrySet().stream().map(e -> e.getKey() + " -> " + e.getValue()).collect(Collectors.joining(", "));
    }

    /** Package-private for tests that need to see when the store thinks a version was published. */
    Instant now() {
        return clock.instant();
    }
}
