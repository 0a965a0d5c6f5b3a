package io.autoglm.fleet.modelstore.blob;

import io.autoglm.fleet.modelstore.StoreLocation;
import io.autoglm.fleet.modelstore.s3.S3Location;

import java.time.Clock;

/**
 * Opens a blob store from its location, in the form the model store is configured with:
 * {@code file:///var/lib/autoglm/blobs} (or a plain directory path) for {@link FileSystemBlobStore},
 * {@code s3://bucket/prefix?endpoint=http://minio:9000&region=eu-west-1} ({@link S3Location}; credentials
 * from the AWS SDK's default chain) for {@link S3BlobStore}.
 */
public final class BlobStores {

    private BlobStores() {
    }

    /** The store at {@code location}, on the system clock. */
    public static BlobStore fromUri(String location) {
        return fromUri(location, Clock.systemUTC());
    }

    /**
     * @throws IllegalArgumentException when the location is neither a directory, a {@code file:} URI nor
     *                                  an {@code s3://} address
     */
    public static BlobStore fromUri(String location, Clock clock) {
        StoreLocation where = StoreLocation.parse(location, "a blob store");
        if (where instanceof StoreLocation.Bucket bucket) {
            S3Location s3 = bucket.s3();
            return new S3BlobStore(s3.client(), s3.presigner(), s3.bucket(), s3.prefix(), clock);
        }
        return new FileSystemBlobStore(((StoreLocation.Directory) where).path(), clock);
    }
}
