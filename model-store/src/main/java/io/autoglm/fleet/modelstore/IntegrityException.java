package io.autoglm.fleet.modelstore;

import java.util.List;

/**
 * A version's stored files do not match the sizes and sha256 of its {@code model.json}: corrupted,
 * truncated, replaced or missing. Such a version must not be loaded.
 */
public class IntegrityException extends ModelStoreException {

    private final List<String> problems;

    public IntegrityException(String model, int version, List<String> problems) {
        super(model + "@" + version + " failed verification: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
