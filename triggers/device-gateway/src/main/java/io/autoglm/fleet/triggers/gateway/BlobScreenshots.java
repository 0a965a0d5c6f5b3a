package io.autoglm.fleet.triggers.gateway;

import io.autoglm.fleet.events.agent.ScreenshotRef;
import io.autoglm.fleet.modelstore.blob.BlobStore;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Screenshots in the model store's blob store (a directory, or an S3 bucket with presigned URLs), under the
 * tenant, for the TTL: the claim check is the blob's URI and sha256. Puts run on {@code executor}, never
 * on an event loop (a put to S3 is a network round trip).
 */
public final class BlobScreenshots implements ScreenshotSink {

    private static final String PNG = "image/png";

    private final BlobStore store;
    private final Duration ttl;
    private final Executor executor;

    public BlobScreenshots(BlobStore store, Duration ttl, Executor executor) {
        this.store = Objects.requireNonNull(store, "store");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    @Override
    public CompletableFuture<ScreenshotRef> store(String tenant, String deviceId, byte[] png, int width, int height) {
        return CompletableFuture.supplyAsync(() -> store.put(tenant, png, PNG, ttl).screenshot(width, height), executor);
    }
}
