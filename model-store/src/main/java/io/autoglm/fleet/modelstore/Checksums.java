package io.autoglm.fleet.modelstore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Streams bytes through SHA-256, optionally copying them, with progress reported as it goes: the
 * one place the store computes the checksums it writes into and checks against {@code model.json}.
 */
public final class Checksums {

    private static final int BUFFER = 1 << 16;
    /** Report at most every this many bytes, so progress stays cheap on multi-gigabyte files. */
    private static final long REPORT_EVERY = 4L << 20;

    private Checksums() {
    }

    /** Reads {@code in} to the end; returns size and hex sha256 of what was read. */
    public static Digest sha256(InputStream in, String task, String path, long expectedSize, ProgressListener progress)
            throws IOException {
        return copy(in, null, task, path, expectedSize, progress);
    }

    /** Copies {@code in} to {@code out} (may be null) and returns size and hex sha256 of the bytes. */
    public static Digest copy(InputStream in, OutputStream out, String task, String path, long expectedSize,
                              ProgressListener progress) throws IOException {
        MessageDigest digest = sha256Digest();
        byte[] buffer = new byte[BUFFER];
        long done = 0;
        long reported = 0;
        int read;
        progress.progress(task, path, 0, expectedSize);
        while ((read = in.read(buffer)) >= 0) {
            digest.update(buffer, 0, read);
            if (out != null) {
                out.write(buffer, 0, read);
            }
            done += read;
            if (done - reported >= REPORT_EVERY) {
                progress.progress(task, path, done, Math.max(expectedSize, done));
                reported = done;
            }
        }
        progress.progress(task, path, done, Math.max(expectedSize, done));
        return new Digest(done, HexFormat.of().formatHex(digest.digest()));
    }

    /** Hex sha256 of bytes held in memory: a manifest, an aliases document, a screenshot. */
    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256Digest().digest(bytes));
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Size and hex sha256 of a stream of bytes. */
    public record Digest(long size, String sha256) {
        public ModelFile asFile(String path) {
            return new ModelFile(path, size, sha256);
        }
    }
}
