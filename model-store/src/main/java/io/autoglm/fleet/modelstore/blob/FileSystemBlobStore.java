package io.autoglm.fleet.modelstore.blob;

import io.autoglm.fleet.modelstore.AtomicFiles;
import io.autoglm.fleet.modelstore.Checksums;
import io.autoglm.fleet.modelstore.ProgressListener;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Blobs in a local (or mounted) directory, handed out as {@code file:} URIs: for one host, a shared
 * volume, and tests. {@code <root>/<tenant>/<yyyy-MM-dd-HH>/<sha256>.png} ({@link BlobKey}); a blob is
 * written like the model store's documents ({@link AtomicFiles}: a synced temporary file and one
 * rename), so a reader sees all of it or none. A sweep deletes whole expiry-hour directories.
 */
public final class FileSystemBlobStore implements BlobStore {

    private final Path root;
    private final Clock clock;

    /** A store in {@code root} (created on the first put) on the system clock. */
    public FileSystemBlobStore(Path root) {
        this(root, Clock.systemUTC());
    }

    /** @param clock what "now" is for puts (the expiry) and reads (expired yet?) */
    public FileSystemBlobStore(Path root, Clock clock) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String location() {
        return root.toUri().toString();
    }

    @Override
    public StoredBlob put(String namespace, byte[] bytes, String contentType, Duration ttl) {
        BlobKey key = BlobKey.forContent(namespace, bytes, contentType, ttl, clock.instant());
        Path file = file(key);
        try {
            if (!holds(file, key)) {
                Files.createDirectories(file.getParent());
                AtomicFiles.replace(file, bytes);
            }
        } catch (IOException e) {
            throw failure("write " + key, e);
        }
        return new StoredBlob(key, file.toUri(), bytes.length);
    }

    /** Whether {@code file} already holds the key's bytes (a second put of the same screenshot). */
    private static boolean holds(Path file, BlobKey key) throws IOException {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            return Checksums.sha256(in, "check", key.path(), Files.size(file), ProgressListener.NONE).sha256().equals(key.sha256());
        }
    }

    @Override
    public InputStream open(BlobKey key) {
        if (key.expired(clock.instant())) {
            throw new BlobNotFoundException("the blob " + key + " expired at " + key.expiresAt());
        }
        try {
            return Files.newInputStream(file(key));
        } catch (NoSuchFileException e) {
            throw new BlobNotFoundException("there is no blob " + key + " in " + location());
        } catch (IOException e) {
            throw failure("read " + key, e);
        }
    }

    @Override
    public BlobKey keyOf(URI uri) {
        if (uri == null || !"file".equalsIgnoreCase(uri.getScheme())) {
            throw new InvalidBlobException(uri + " is not a blob of " + location() + ": its blobs have file: URIs");
        }
        Path file = Path.of(uri).normalize();
        if (!file.startsWith(root) || file.getNameCount() - root.getNameCount() != 3) {
            throw new InvalidBlobException(uri + " is not a blob of " + location());
        }
        return BlobKey.parse(root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/"));
    }

    @Override
    public boolean delete(BlobKey key) {
        try {
            return Files.deleteIfExists(file(key));
        } catch (IOException e) {
            throw failure("delete " + key, e);
        }
    }

    @Override
    public int sweepExpired(Instant now) {
        return ExpirySweep.sweep(root, now, this::directories, dir -> dir.getFileName().toString(), this::deleteBucket);
    }

    /** Deletes an expiry-hour directory; returns how many blobs were in it. */
    private int deleteBucket(Path hour) {
        try (Stream<Path> files = Files.list(hour)) {
            int blobs = (int) files.filter(f -> !f.getFileName().toString().startsWith(".")).count();
            AtomicFiles.deleteRecursively(hour);
            return blobs;
        } catch (DirectoryNotEmptyException e) {
            // a put with a clock behind ours wrote into it meanwhile; the next sweep takes it
            return 0;
        } catch (IOException e) {
            throw failure("sweep " + hour, e);
        }
    }

    private List<Path> directories(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            throw failure("list " + dir, e);
        }
    }

    @Override
    public void close() {
    }

    private Path file(BlobKey key) {
        return root.resolve(key.path());
    }

    private BlobStoreException failure(String what, IOException e) {
        return new BlobStoreException("cannot " + what + " in " + location() + ": " + e, e);
    }
}
