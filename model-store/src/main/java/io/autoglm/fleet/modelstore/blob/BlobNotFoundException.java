package io.autoglm.fleet.modelstore.blob;

/** No such blob: never stored, deleted, or past its expiry (whether or not a sweep has removed it yet). */
public class BlobNotFoundException extends BlobStoreException {

    public BlobNotFoundException(String message) {
        super(message);
    }
}
