package io.autoglm.fleet.modelstore;

/**
 * The outcome of a promote or rollback: {@code alias} of {@code model} now points at {@code version};
 * {@code previous} is what it pointed at before (null for a new alias).
 */
public record Promotion(String model, String alias, int version, Integer previous, boolean announced) {
}
