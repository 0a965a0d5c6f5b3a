package io.autoglm.fleet.modelstore;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Duration;

/**
 * Dynamic batching settings of a model, read by the server that runs it: up to {@code maxBatchSize}
 * rows run in one engine call; the first request of a batch waits at most {@code maxQueueDelayMs} for
 * others to join; at most {@code maxQueueSize} requests wait, the next is refused (capacity).
 * {@code maxBatchSize = 1} turns batching off.
 */
public record Batching(int maxBatchSize, long maxQueueDelayMs, int maxQueueSize) {

    /** Conservative defaults for a model published without batching settings. */
    public static final Batching DEFAULT = new Batching(8, 5, 64);

    public Batching {
        if (maxBatchSize < 1 || maxBatchSize > 4096) {
            throw new IllegalArgumentException("batching.maxBatchSize must be 1-4096, got " + maxBatchSize);
        }
        if (maxQueueDelayMs < 0 || maxQueueDelayMs > 60_000) {
            throw new IllegalArgumentException("batching.maxQueueDelayMs must be 0-60000, got " + maxQueueDelayMs);
        }
        if (maxQueueSize < 1 || maxQueueSize > 1_000_000) {
            throw new IllegalArgumentException("batching.maxQueueSize must be 1-1000000, got " + maxQueueSize);
        }
    }

    @JsonIgnore
    public Duration maxQueueDelay() {
        return Duration.ofMillis(maxQueueDelayMs);
    }
}
