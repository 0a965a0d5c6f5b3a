package io.autoglm.fleet.modelstore.blob;

/**
 * The caller asked for something a blob store cannot do: an empty or oversized blob, bytes that are
 * not of the type they are said to be, a namespace that is not a tenant id, a TTL out of range, a URI
 * or key this store never handed out, or a blob of another tenant.
 */
public class InvalidBlobException extends BlobStoreException {

    public InvalidBlobException(String message) {
        super(message);
    }
}
