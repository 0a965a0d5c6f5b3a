package io.autoglm.fleet.modelstore;

import java.util.Objects;
import java.util.Set;

/**
 * Marks a model that turns texts into embeddings (a sentence-transformers style encoder) and says how:
 * the tokenizer file among the version's files, the longest input in tokens (longer texts are refused,
 * not cut), which output holds the token states, the pooling and whether vectors are L2-normalised.
 */
public record TextEmbedding(String tokenizer, int maxTokens, String output, String pooling, boolean normalize) {

    public static final Set<String> POOLINGS = Set.of("mean", "cls");

    public TextEmbedding {
        ModelFile.checkPath(Objects.requireNonNull(tokenizer, "text.tokenizer"));
        if (maxTokens < 1 || maxTokens > 1_000_000) {
            throw new IllegalArgumentException("text.maxTokens must be 1-1000000, got " + maxTokens);
        }
        pooling = pooling == null ? "mean" : pooling;
        if (!POOLINGS.contains(pooling)) {
            throw new IllegalArgumentException("text.pooling must be one of " + POOLINGS + ", got '" + pooling + "'");
        }
    }
}
