package io.autoglm.fleet.modelstore.s3;

import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A key prefix in one bucket, and the requests the S3 stores (models, blobs) make there: reads that
 * tell a missing object from a failure, listings, deletions, and one mapping of SDK failures to the
 * store's own exception, so every store says "cannot <what> in s3://bucket/prefix/: <why>" alike.
 */
public final class S3Bucket {

    /** Turns a failed request into the store's exception (a failure of ours, worth retrying). */
    @FunctionalInterface
    public interface Failure {
        RuntimeException of(String message, SdkException cause);
    }

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final Failure failure;

    /**
     * @param prefix key prefix inside the bucket, with or without slashes around it; "" or null for the bucket root
     */
    public S3Bucket(S3Client s3, String bucket, String prefix, Failure failure) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.failure = Objects.requireNonNull(failure, "failure");
        String p = trimmedPrefix(prefix);
        this.prefix = p.isEmpty() ? "" : p + "/";
    }

    /** {@code prefix} without leading or trailing slashes. */
    static String trimmedPrefix(String prefix) {
        return prefix == null ? "" : prefix.replaceAll("^/+|/+$", "");
    }

    public S3Client client() {
        return s3;
    }

    public String bucket() {
        return bucket;
    }

    /** The key prefix, ending in {@code /} unless it is the bucket root (""). */
    public String prefix() {
        return prefix;
    }

    /** {@code s3://bucket/prefix/} */
    public String location() {
        return "s3://" + bucket + "/" + prefix;
    }

    /** The whole object, or empty when there is none. */
    public Optional<ResponseBytes<GetObjectResponse>> read(String key) {
        return ifExists(key, () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)));
    }

    /** The object as a stream (the caller closes it), or empty when there is none. */
    public Optional<ResponseInputStream<GetObjectResponse>> open(String key) {
        return ifExists(key, () -> s3.getObject(b -> b.bucket(bucket).key(key)));
    }

    /** The object's metadata (size, content type, user metadata), or empty when there is none. */
    public Optional<HeadObjectResponse> head(String key) {
        return ifExists(key, () -> s3.headObject(b -> b.bucket(bucket).key(key)));
    }

    private <T> Optional<T> ifExists(String key, Supplier<T> get) {
        try {
            return Optional.of(get.get());
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

    /** Every object under {@code keyPrefix} (a full key prefix, {@link #prefix()} included). */
    public List<S3Object> list(String keyPrefix) {
        List<S3Object> objects = new ArrayList<>();
        run("list " + keyPrefix, () -> s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(keyPrefix)).contents().forEach(objects::add));
        return objects;
    }

    /** The next level of "directories" under {@code keyPrefix}: each common prefix, ending in {@code /}. */
    public List<String> children(String keyPrefix) {
        List<String> children = new ArrayList<>();
        run("list " + keyPrefix, () -> s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(keyPrefix).delimiter("/"))
                .commonPrefixes().forEach(cp -> children.add(cp.prefix())));
        return children;
    }

    public void delete(String key) {
        run("delete " + key, () -> s3.deleteObject(b -> b.bucket(bucket).key(key)));
    }

    /** Deletes every object under {@code keyPrefix}; returns how many. */
    public int deleteAll(String keyPrefix) {
        List<S3Object> objects = list(keyPrefix);
        objects.forEach(o -> delete(o.key()));
        return objects.size();
    }

    /** Runs a request, mapping an SDK failure to the store's exception. */
    public void run(String what, Runnable request) {
        call(what, () -> {
            request.run();
            return null;
        });
    }

    /** Makes a request, mapping an SDK failure to the store's exception. */
    public <T> T call(String what, Supplier<T> request) {
        try {
            return request.get();
        } catch (SdkException e) {
            throw failure(what, e);
        }
    }

    /** The store's exception for a failed request: "cannot <what> in s3://bucket/prefix/: <why>". */
    public RuntimeException failure(String what, SdkException e) {
        return failure.of("cannot " + what + " in " + location() + ": " + e.getMessage(), e);
    }
}
