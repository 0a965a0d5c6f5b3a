package io.autoglm.fleet.modelstore;

/**
 * A model store operation failed. Subclasses say whose fault it is: {@link ModelNotFoundException},
 * {@link VersionConflictException} and {@link InvalidModelException} are the caller's;
 * {@link IntegrityException} means stored bytes are not what was published; this class itself is
 * an I/O failure of the backend, worth retrying.
 */
public class ModelStoreException extends RuntimeException {

    public ModelStoreException(String message) {
        super(message);
    }

    public ModelStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
