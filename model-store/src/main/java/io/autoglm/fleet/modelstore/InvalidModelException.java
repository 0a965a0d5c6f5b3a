package io.autoglm.fleet.modelstore;

/** What was handed to the store cannot be published or read: a bad {@code model.json}, a missing file, a bad name. */
public class InvalidModelException extends ModelStoreException {

    public InvalidModelException(String message) {
        super(message);
    }

    public InvalidModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
