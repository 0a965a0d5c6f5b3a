package io.autoglm.fleet.modelstore.blob;

/**
 * A blob store operation failed. Subclasses say whose fault it is: {@link InvalidBlobException} and
 * {@link BlobNotFoundException} are the caller's (a 4xx, a rejected event); this class itself is a
 * failure of the store (I/O, an unreachable bucket, bytes that no longer match their name), worth retrying.
 */
public class BlobStoreException extends RuntimeException {

    public BlobStoreException(String message) {
        super(message);
    }

    public BlobStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
