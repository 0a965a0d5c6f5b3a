package io.autoglm.fleet.modelstore;

/**
 * A write lost against another: the version is already published (versions are immutable), or the
 * aliases changed between read and write. Retrying with fresh state is safe.
 */
public class VersionConflictException extends ModelStoreException {

    public VersionConflictException(String message) {
        super(message);
    }
}
