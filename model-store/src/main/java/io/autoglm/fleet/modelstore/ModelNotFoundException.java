package io.autoglm.fleet.modelstore;

/** The model, version or alias asked for does not exist in the store. */
public class ModelNotFoundException extends ModelStoreException {

    public ModelNotFoundException(String message) {
        super(message);
    }
}
