package io.autoglm.fleet.modelstore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The embedded default: a store in a local (or mounted) directory. A version is written into a
 * staging directory beside its final place, every file and directory is fsynced, and one
 * {@code rename(2)} makes it appear; a reader sees the whole version or nothing. The aliases document
 * is replaced the same way, under a file lock so concurrent promotions cannot lose one another.
 */
public final class FileSystemBackend implements StoreBackend {

    private static final String STAGING = ".staging-";
    private static final String DELETING = ".deleting-";
    private static final String ALIASES_LOCK = ".aliases.lock";

    private static final java.util.concurrent.ConcurrentMap<Path, Object> JVM_LOCKS = new java.util.concurrent.ConcurrentHashMap<>();

    private final Path root;

    /** A store in {@code root}; the directory is created on the first write, so readers never create one. */
    public FileSystemBackend(Path root) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    @Override
    public String location() {
        return root.toUri().toString();
    }

    @Override
    public List<String> models() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(root)) {
            return children.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(name -> ModelRef.NAME.matcher(name).matches())
                    .filter(name -> !versions(name).isEmpty() || Files.exists(modelDir(name).resolve(AliasTable.FILE_NAME)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw failure("list models in " + root, e);
        }
    }

    @Override
    public List<Integer> versions(String model) {
        return versionNumbers(model).stream()
                .filter(v -> Files.isRegularFile(versionDir(model, v).resolve(ModelManifest.FILE_NAME)))
                .toList();
    }

    @Override
    public int highestClaimedVersion(String model) {
        return versionNumbers(model, true).stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    private List<Integer> versionNumbers(String model) {
        return versionNumbers(model, false);
    }

    /** Numbers of the version directories, and with {@code staged} also of uploads in progress. */
    private List<Integer> versionNumbers(String model, boolean staged) {
        Path dir = modelDir(model);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .map(name -> staged && name.startsWith(STAGING) ? name.substring(STAGING.length()) : name)
                    .filter(name -> name.matches("[1-9][0-9]{0,8}"))
                    .map(Integer::valueOf)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw failure("list versions of " + model, e);
        }
    }

    @Override
    public Optional<byte[]> readManifest(String model, int version) {
        return readIfExists(versionDir(model, version).resolve(ModelManifest.FILE_NAME));
    }

    @Override
    public InputStream openFile(String model, int version, String path) {
        Path file = versionDir(model, version).resolve(ModelFile.checkPath(path));
        try {
            return Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new ModelNotFoundException(model + "@" + version + " has no file " + path);
        } catch (IOException e) {
            throw failure("open " + file, e);
        }
    }

    @Override
    public VersionUpload beginVersion(String model, int version) {
        Path target = versionDir(model, version);
        if (Files.exists(target)) {
            throw new VersionConflictException(model + "@" + version + " already exists; versions are immutable");
        }
        // the staging directory is also the claim on the number: creating it fails if another upload has it
        Path staging = modelDir(model).resolve(STAGING + version);
        try {
            Files.createDirectories(staging.getParent());
            Files.createDirectory(staging);
        } catch (FileAlreadyExistsException e) {
            throw new VersionConflictException(model + "@" + version + " is being published by someone else");
        } catch (IOException e) {
            throw failure("create staging directory " + staging, e);
        }
        return new StagedVersion(model, version, staging, target);
    }

    @Override
    public Optional<StoredDocument> readAliases(String model) {
        return readIfExists(modelDir(model).resolve(AliasTable.FILE_NAME))
                .map(bytes -> new StoredDocument(bytes, Checksums.sha256(bytes)));
    }

    @Override
    public void writeAliases(String model, byte[] json, String expectedTag) {
        Path dir = modelDir(model);
        // a file lock keeps other processes out; one JVM cannot take it twice, hence the monitor too
        synchronized (JVM_LOCKS.computeIfAbsent(dir, d -> new Object())) {
            try {
                Files.createDirectories(dir);
                try (FileChannel lockFile = FileChannel.open(dir.resolve(ALIASES_LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock ignored = lockFile.lock()) {
                    String currentTag = readAliases(model).map(StoredDocument::tag).orElse(null);
                    if (!Objects.equals(currentTag, expectedTag)) {
                        throw new VersionConflictException("the aliases of " + model + " changed meanwhile; read them again and retry");
                    }
                    AtomicFiles.replace(dir.resolve(AliasTable.FILE_NAME), json);
                }
            } catch (IOException e) {
                throw failure("write the aliases of " + model, e);
            }
        }
    }

    @Override
    public void deleteVersion(String model, int version) {
        Path dir = versionDir(model, version);
        if (!Files.exists(dir)) {
            return;
        }
        Path doomed = modelDir(model).resolve(DELETING + version + "-" + UUID.randomUUID());
        try {
            Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.syncDirectory(modelDir(model));
            AtomicFiles.deleteRecursively(doomed);
        } catch (IOException e) {
            throw failure("delete " + model + "@" + version, e);
        }
    }

    @Override
    public int removeAbandonedUploads(String model, Duration olderThan) {
        Path dir = modelDir(model);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        Instant cutoff = Instant.now().minus(olderThan);
        int removed = 0;
        try (Stream<Path> children = Files.list(dir)) {
            for (Path child : children.toList()) {
                String name = child.getFileName().toString();
                if ((name.startsWith(STAGING) || name.startsWith(DELETING))
                        && Files.getLastModifiedTime(child).toInstant().isBefore(cutoff)) {
                    AtomicFiles.deleteRecursively(child);
                    removed++;
                }
            }
        } catch (IOException e) {
            throw failure("clean up abandoned uploads of " + model, e);
        }
        return removed;
    }

    @Override
    public Path localDirectory(String model, int version, ModelManifest manifest, ProgressListener progress) {
        Path dir = versionDir(model, version);
        if (!Files.isRegularFile(dir.resolve(ModelManifest.FILE_NAME))) {
            throw new ModelNotFoundException(model + "@" + version + " is not published in " + location());
        }
        return dir;
    }

    @Override
    public Path engineCache(String model, int version, String architecture) {
        Path dir = versionDir(model, version).resolve(ModelManifest.ENGINE_CACHE_DIR).resolve(architecture);
        try {
            return Files.createDirectories(dir);
        } catch (FileSystemException e) {
            // a read-only store (e.g. a mounted volume): keep the cache beside the process instead
            Path fallback = Path.of(System.getProperty("java.io.tmpdir"), "autoglm-engine-cache", model, Integer.toString(version),
                    architecture);
            try {
                return Files.createDirectories(fallback);
            } catch (IOException inner) {
                throw failure("create engine cache " + fallback, inner);
            }
        } catch (IOException e) {
            throw failure("create engine cache " + dir, e);
        }
    }

    @Override
    public void saveEngineCache(String model, int version, String architecture) {
        // the cache directory is already inside the store
    }

    @Override
    public void close() {
    }

    private Path modelDir(String model) {
        return root.resolve(ModelRef.checkName(model));
    }

    private Path versionDir(String model, int version) {
        return modelDir(model).resolve(Integer.toString(ModelRef.checkVersion(version)));
    }

    private static Optional<byte[]> readIfExists(Path file) {
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw failure("read " + file, e);
        }
    }

    private static ModelStoreException failure(String what, IOException e) {
        return new ModelStoreException("cannot " + what + ": " + e, e);
    }

    private static final class StagedVersion implements VersionUpload {
        private final String model;
        private final int version;
        private final Path staging;
        private final Path target;
        private final List<Path> directories = new ArrayList<>();
        private boolean committed;

        StagedVersion(String model, int version, Path staging, Path target) {
            this.model = model;
            this.version = version;
            this.staging = staging;
            this.target = target;
            directories.add(staging);
        }

        @Override
        public ModelFile addFile(String path, Path source, ProgressListener progress) {
            Path file = staging.resolve(ModelFile.checkPath(path));
            try {
                Path parent = file.getParent();
                if (!Files.isDirectory(parent)) {
                    Files.createDirectories(parent);
                    directories.add(parent);
                }
                long size = Files.size(source);
                try (InputStream in = Files.newInputStream(source);
                     FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    OutputStream out = Channels.newOutputStream(channel);
                    Checksums.Digest digest = Checksums.copy(in, out, "copy", path, size, progress);
                    channel.force(true);
                    return digest.asFile(path);
                }
            } catch (FileAlreadyExistsException e) {
                throw new InvalidModelException("file " + path + " is added twice");
            } catch (IOException e) {
                throw failure("copy " + source + " into " + model + "@" + version, e);
            }
        }

        @Override
        public void commit(byte[] manifest) {
            try {
                AtomicFiles.writeSynced(staging.resolve(ModelManifest.FILE_NAME), manifest);
                for (Path dir : directories) {
                    AtomicFiles.syncDirectory(dir);
                }
                Files.setLastModifiedTime(staging, FileTime.from(Instant.now()));
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                AtomicFiles.syncDirectory(target.getParent());
                committed = true;
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                throw new VersionConflictException(model + "@" + version + " was published meanwhile; versions are immutable");
            } catch (IOException e) {
                if (Files.exists(target.resolve(ModelManifest.FILE_NAME))) {
                    throw new VersionConflictException(model + "@" + version + " was published meanwhile; versions are immutable");
                }
                throw failure("commit " + model + "@" + version, e);
            }
        }

        @Override
        public void close() {
            if (!committed) {
                try {
                    AtomicFiles.deleteRecursively(staging);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot remove staging directory " + staging, e);
                }
            }
        }
    }
}
