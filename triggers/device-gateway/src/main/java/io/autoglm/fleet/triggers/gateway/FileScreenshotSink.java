package io.autoglm.fleet.triggers.gateway;

import io.autoglm.fleet.events.agent.ScreenshotRef;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Screenshots as files, {@code <directory>/<tenant>/<device>/<sha256>.png}, written whole or not at all (a
 * temporary file moved into place), named by their content so a resent one is the same file, and kept for
 * a TTL ({@link #sweep}). Writes run on {@code executor}, never on an event loop.
 */
public final class FileScreenshotSink implements ScreenshotSink {

    private final Path directory;
    private final Duration ttl;
    private final Executor executor;

    public FileScreenshotSink(Path directory, Duration ttl, Executor executor) {
        this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath();
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    @Override
    public CompletableFuture<ScreenshotRef> store(String tenant, String deviceId, byte[] png, int width, int height) {
        return CompletableFuture.supplyAsync(() -> write(tenant, deviceId, png, width, height), executor);
    }

    private ScreenshotRef write(String tenant, String deviceId, byte[] png, int width, int height) {
        String sha256 = sha256(png);
        Path folder = directory.resolve(safe(tenant)).resolve(safe(deviceId));
        Path file = folder.resolve(sha256 + ".png");
        try {
            Files.createDirectories(folder);
            if (!Files.exists(file)) {
                Path partial = Files.createTempFile(folder, ".partial-", ".png");
                try {
                    Files.write(partial, png);
                    try {
                        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
                    } catch (AtomicMoveNotSupportedException e) {
                        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
                    }
                } finally {
                    Files.deleteIfExists(partial);
                }
            } else {
                Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(Instant.now()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not store a screenshot of device " + deviceId + ": " + e.getMessage(), e);
        }
        return new ScreenshotRef(file.toUri(), sha256, width, height);
    }

    /** Deletes screenshots older than the TTL at {@code now}; how many. */
    public int sweep(Instant now) {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        Instant oldest = now.minus(ttl);
        int deleted = 0;
        try (DirectoryStream<Path> tenants = Files.newDirectoryStream(directory)) {
            for (Path tenant : tenants) {
                try (DirectoryStream<Path> devices = Files.newDirectoryStream(tenant)) {
                    for (Path device : devices) {
                        try (DirectoryStream<Path> files = Files.newDirectoryStream(device, "*.png")) {
                            for (Path file : files) {
                                if (Files.getLastModifiedTime(file).toInstant().isBefore(oldest) && Files.deleteIfExists(file)) {
                                    deleted++;
                                }
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not sweep the screenshots in " + directory, e);
        }
        return deleted;
    }

    private static String safe(String name) {
        // tenant and device ids of the contract are file-safe already; never let one climb out
        return name.replace('/', '_').replace('\\', '_').replace("..", "__");
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
