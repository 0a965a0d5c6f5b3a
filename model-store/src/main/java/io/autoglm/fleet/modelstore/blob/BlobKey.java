package io.autoglm.fleet.modelstore.blob;

import io.autoglm.fleet.events.Extensions;
import io.autoglm.fleet.modelstore.Checksums;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a blob lives in a store, the same on a filesystem and in a bucket:
 * {@code <namespace>/<yyyy-MM-dd-HH>/<sha256>.<ext>}, e.g. {@code acme/2026-12-03-15/9f86...0f08.png}.
 *
 * <ul>
 *   <li>The namespace is a tenant id, first in the key: two tenants' blobs never share a key, and
 *       everything of one tenant lies under one prefix.</li>
 *   <li>The hour is when the blob expires (UTC, on the hour; a TTL is rounded up to the next whole
 *       hour), so the expiry is recorded with the blob and a sweep removes a whole hour at a time
 *       without reading any object.</li>
 *   <li>The name is the sha256 of the bytes: putting the same screenshot again, with an expiry in the
 *       same hour, is the same key and writes nothing new.</li>
 * </ul>
 */
public record BlobKey(String namespace, Instant expiresAt, String sha256, BlobType type) {

    /** The width of an expiry bucket: a blob lives for its TTL, and for less than this longer. */
    public static final Duration EXPIRY_BUCKET = Duration.ofHours(1);

    static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("uuuu-MM-dd-HH").withZone(ZoneOffset.UTC);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern PATH = Pattern.compile("([^/]+)/([^/]+)/([0-9a-f]{64})\\.([a-z]+)");

    public BlobKey {
        checkNamespace(namespace);
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (!expiresAt.truncatedTo(ChronoUnit.HOURS).equals(expiresAt)) {
            throw new InvalidBlobException("a blob expires on the hour, got " + expiresAt);
        }
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new InvalidBlobException("a blob's sha256 is 64 lowercase hex digits, got '" + sha256 + "'");
        }
        Objects.requireNonNull(type, "type");
    }

    /**
     * The key of {@code bytes} put at {@code now} to live for {@code ttl}, after checking each input.
     *
     * @throws InvalidBlobException naming what is wrong and what would be right
     */
    public static BlobKey forContent(String namespace, byte[] bytes, String contentType, Duration ttl, Instant now) {
        checkNamespace(namespace);
        if (bytes == null || bytes.length == 0) {
            throw new InvalidBlobException("a blob must not be empty");
        }
        if (bytes.length > BlobStore.MAX_BYTES) {
            throw new InvalidBlobException("a blob is at most " + (BlobStore.MAX_BYTES >> 20) + " MiB, got " + bytes.length + " bytes");
        }
        BlobType type = BlobType.ofContentType(contentType);
        if (!type.matches(bytes)) {
            throw new InvalidBlobException("the bytes are not " + type.contentType() + ": they do not start with its signature");
        }
        if (ttl == null || ttl.isNegative() || ttl.isZero() || ttl.compareTo(BlobStore.MAX_TTL) > 0) {
            throw new InvalidBlobException("a blob's ttl must be positive and at most " + BlobStore.MAX_TTL + ", got " + ttl);
        }
        return new BlobKey(namespace, expiryBucket(now.plus(ttl)), Checksums.sha256(bytes), type);
    }

    /** The hour an expiry falls into, rounded up: a blob is never gone before its TTL. */
    static Instant expiryBucket(Instant expiry) {
        Instant hour = expiry.truncatedTo(ChronoUnit.HOURS);
        return hour.equals(expiry) ? hour : hour.plus(EXPIRY_BUCKET);
    }

    /**
     * Reads a key back from its path ({@code acme/2026-12-03-15/<sha256>.png}).
     *
     * @throws InvalidBlobException when it is not a blob key
     */
    public static BlobKey parse(String path) {
        Matcher m = PATH.matcher(path == null ? "" : path);
        if (!m.matches()) {
            throw new InvalidBlobException("'" + path + "' is not a blob key (<tenant>/<yyyy-MM-dd-HH>/<sha256>.<png|jpg>)");
        }
        Instant expiresAt = parseHour(m.group(2)).orElseThrow(() ->
                new InvalidBlobException("'" + path + "' is not a blob key: '" + m.group(2) + "' is not an hour (yyyy-MM-dd-HH)"));
        return new BlobKey(m.group(1), expiresAt, m.group(3), BlobType.ofExtension(m.group(4)));
    }

    /** The instant an expiry bucket's name ({@code 2026-12-03-15}) stands for; empty if it is no such name. */
    static Optional<Instant> parseHour(String name) {
        try {
            return Optional.of(Instant.from(HOUR.parse(name)));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** {@code <namespace>/<yyyy-MM-dd-HH>/<sha256>.<ext>} */
    public String path() {
        return namespace + "/" + HOUR.format(expiresAt) + "/" + sha256 + "." + type.extension();
    }

    /** Whether the blob is gone at {@code now}: on and after its expiry hour. */
    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    @Override
    public String toString() {
        return path();
    }

    /** Whether {@code name} can be a namespace (a tenant id). */
    static boolean isNamespace(String name) {
        return Extensions.checkValue(Extensions.TENANT, name).isEmpty();
    }

    static void checkNamespace(String namespace) {
        Optional<String> problem = Extensions.checkValue(Extensions.TENANT, namespace);
        if (namespace == null || problem.isPresent()) {
            throw new InvalidBlobException("a blob's namespace is a tenant id: " + problem.orElse("tenant must not be null"));
        }
    }
}
