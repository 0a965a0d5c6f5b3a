package io.autoglm.fleet.modelstore.blob;

import io.autoglm.fleet.modelstore.s3.S3Bucket;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Blobs in an S3-compatible bucket (AWS S3, MinIO, Ceph), handed out as presigned {@code https:} GET
 * URLs: a reader needs no credentials and no SDK, only an HTTP client, and the URL stops working when
 * the blob expires. Keys are {@code <prefix>/<tenant>/<yyyy-MM-dd-HH>/<sha256>.png} ({@link BlobKey});
 * each object also carries its expiry as user metadata ({@code x-amz-meta-autoglm-expires-at}).
 *
 * <p>Expiry: {@link #sweepExpired} deletes whole expiry hours by listing names only. A bucket
 * lifecycle rule cannot take the sweep's place at an hour's precision (rules expire objects by age in
 * whole days, filtered by prefix or tag), but one on the store's prefix with {@code Expiration: Days}
 * of {@link BlobStore#MAX_TTL} plus a day is a good backstop should the sweep stop running.
 *
 * <p>A presigned URL is valid until the blob expires, and at most 7 days (SigV4); signed with
 * temporary credentials (an instance role, STS), it stops working when those do, so the signer's
 * session must outlast the TTL. An expired URL answers HTTP 403, as does a deleted object to a signer
 * without {@code s3:ListBucket} (404 with it).
 */
public final class S3BlobStore implements BlobStore {

    /** User metadata naming when the blob expires (ISO-8601), for lifecycle tools and people. */
    public static final String EXPIRES_AT = "autoglm-expires-at";

    private final S3Bucket objects;
    private final S3Presigner presigner;
    private final Clock clock;

    /**
     * @param presigner signs URLs for the same server and credentials as {@code s3}
     *                  ({@link io.autoglm.fleet.modelstore.s3.S3Location#presigner})
     * @param prefix    key prefix of the store inside the bucket, "" for the bucket root
     * @param clock     what "now" is for expiries; a URL's validity starts when the presigner signs it, on its own clock
     */
    public S3BlobStore(S3Client s3, S3Presigner presigner, String bucket, String prefix, Clock clock) {
        this.objects = new S3Bucket(s3, bucket, prefix, BlobStoreException::new);
        this.presigner = Objects.requireNonNull(presigner, "presigner");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String location() {
        return objects.location();
    }

    @Override
    public StoredBlob put(String namespace, byte[] bytes, String contentType, Duration ttl) {
        Instant now = clock.instant();
        BlobKey key = BlobKey.forContent(namespace, bytes, contentType, ttl, now);
        String objectKey = objectKey(key);
        // the name is the sha256: an object of the same size under it is this blob, put before
        boolean stored = objects.head(objectKey).map(head -> head.contentLength() == bytes.length).orElse(false);
        if (!stored) {
            objects.run("write " + key, () -> objects.client().putObject(b -> b.bucket(objects.bucket()).key(objectKey)
                    .contentType(key.type().contentType()).contentLength((long) bytes.length)
                    .metadata(Map.of(EXPIRES_AT, key.expiresAt().toString())), RequestBody.fromBytes(bytes)));
        }
        return new StoredBlob(key, presign(objectKey, Duration.between(now, key.expiresAt())), bytes.length);
    }

    private URI presign(String objectKey, Duration validFor) {
        Duration duration = validFor.compareTo(MAX_TTL) > 0 ? MAX_TTL : validFor;
        try {
            return objects.call("sign a URL for " + objectKey, () -> presigner.presignGetObject(p -> p.signatureDuration(duration)
                    .getObjectRequest(g -> g.bucket(objects.bucket()).key(objectKey)))).url().toURI();
        } catch (URISyntaxException e) {
            throw new BlobStoreException("the SDK signed a URL that is not a URI for " + objectKey + ": " + e.getMessage(), e);
        }
    }

    @Override
    public InputStream open(BlobKey key) {
        if (key.expired(clock.instant())) {
            throw new BlobNotFoundException("the blob " + key + " expired at " + key.expiresAt());
        }
        return objects.open(objectKey(key)).orElseThrow(() -> new BlobNotFoundException("there is no blob " + key + " in " + location()));
    }

    /**
     * The key of a URL this store signed ({@code https://bucket.s3.../prefix/key?X-Amz-...}, or path-style
     * {@code http://endpoint/bucket/prefix/key?...}), or of {@code s3://bucket/prefix/key}.
     */
    @Override
    public BlobKey keyOf(URI uri) {
        String path = uri == null ? null : keyInBucket(uri);
        if (path == null || !path.startsWith(objects.prefix())) {
            throw new InvalidBlobException(uri + " is not a blob of " + location());
        }
        return BlobKey.parse(path.substring(objects.prefix().length()));
    }

    /** The object key a URL names in this store's bucket; null when it names another bucket or is no S3 URL. */
    private String keyInBucket(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost();
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/+", "");
        String bucket = objects.bucket();
        return switch (scheme) {
            case "s3" -> host.equals(bucket) ? path : null;
            case "http", "https" -> host.startsWith(bucket + ".") ? path
                    : path.startsWith(bucket + "/") ? path.substring(bucket.length() + 1) : null;
            default -> null;
        };
    }

    @Override
    public boolean delete(BlobKey key) {
        String objectKey = objectKey(key);
        if (objects.head(objectKey).isEmpty()) {
            return false;
        }
        objects.delete(objectKey);
        return true;
    }

    @Override
    public int sweepExpired(Instant now) {
        return ExpirySweep.sweep(objects.prefix(), now, objects::children,
                dir -> dir.substring(dir.lastIndexOf('/', dir.length() - 2) + 1, dir.length() - 1), objects::deleteAll);
    }

    @Override
    public void close() {
        presigner.close();
        objects.client().close();
    }

    private String objectKey(BlobKey key) {
        return objects.prefix() + key.path();
    }
}
