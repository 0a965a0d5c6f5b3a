package io.autoglm.fleet.modelstore.blob;

import io.autoglm.fleet.modelstore.Checksums;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;

/**
 * Short-lived blobs (screenshots) behind claim checks: a producer puts the bytes and sends on only
 * the URI and sha256; a reader fetches them by that URI until the blob expires; a sweep removes what
 * has expired. Keys are content-addressed and under the tenant ({@link BlobKey}), so putting the same
 * screenshot twice stores it once, and no tenant's blob shares a key with another's.
 *
 * <p>Two implementations on the model store's backends: {@link FileSystemBlobStore} ({@code file:} URIs)
 * and {@link S3BlobStore} (presigned {@code https:} URLs); {@link BlobStores#fromUri} opens either from
 * a location. Failures: {@link InvalidBlobException} and {@link BlobNotFoundException} are the
 * caller's; any other {@link BlobStoreException} is the store's, worth retrying.
 */
public interface BlobStore extends AutoCloseable {

    /** The largest blob a store takes; a 1440x3200 screenshot as PNG is about 5 MB. */
    int MAX_BYTES = 20 << 20;

    /** The longest a blob may live: the longest an S3 presigned URL can be valid (SigV4: 7 days). */
    Duration MAX_TTL = Duration.ofDays(7);

    /** Where the store lives: {@code file:///var/lib/autoglm/blobs/} or {@code s3://bucket/prefix/}. */
    String location();

    /**
     * Stores {@code bytes} for {@code namespace} (a tenant id) until at least {@code ttl} from now
     * (rounded up to the hour, {@link BlobKey#EXPIRY_BUCKET}). The same bytes put again with an expiry
     * in the same hour are the same key: nothing more is stored, and the answer is the same blob.
     *
     * @param contentType {@code image/png} or {@code image/jpeg} ({@link BlobType}); the bytes must be one
     * @throws InvalidBlobException when an input is wrong, saying which and how
     */
    StoredBlob put(String namespace, byte[] bytes, String contentType, Duration ttl);

    /**
     * Opens a blob for reading; the caller closes the stream.
     *
     * @throws BlobNotFoundException when there is no such blob, or it has expired (swept or not)
     */
    InputStream open(BlobKey key);

    /**
     * The key of a URI or key path this store handed out ({@link StoredBlob#uri()}).
     *
     * @throws InvalidBlobException when the URI is not one of this store's
     */
    BlobKey keyOf(URI uri);

    /** Removes a blob now; false when there was none. */
    boolean delete(BlobKey key);

    /** Removes every blob that has expired at {@code now}, of every tenant; returns how many. */
    int sweepExpired(Instant now);

    @Override
    void close();

    /**
     * The blob's bytes, checked against the sha256 its key names.
     *
     * @throws BlobNotFoundException when there is no such blob, or it has expired
     * @throws BlobStoreException    when the stored bytes are no longer the ones put (corrupted)
     */
    default byte[] get(BlobKey key) {
        byte[] bytes;
        try (InputStream in = open(key)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw new BlobStoreException("cannot read " + key + " in " + location() + ": " + e, e);
        }
        String actual = Checksums.sha256(bytes);
        if (!actual.equals(key.sha256())) {
            throw new BlobStoreException("the blob " + key + " in " + location() + " is corrupted: its bytes have sha256 " + actual);
        }
        return bytes;
    }

    /** {@link #get(BlobKey)} of the blob a URI this store handed out names. */
    default byte[] get(URI uri) {
        return get(keyOf(uri));
    }

    /** {@link #keyOf} for a blob {@code namespace} may read: a URI of another tenant's blob is refused. */
    default BlobKey keyOf(URI uri, String namespace) {
        BlobKey key = keyOf(uri);
        if (!key.namespace().equals(namespace)) {
            throw new InvalidBlobException("the blob " + uri + " is not one of tenant " + namespace + "'s");
        }
        return key;
    }
}
