package io.autoglm.fleet.triggers.gateway;

import io.autoglm.fleet.events.agent.ScreenshotRef;

import java.util.concurrent.CompletableFuture;

/**
 * Where the gateway puts the screenshots devices send inline, so events carry a claim check
 * ({@link ScreenshotRef}: URI, SHA-256, size) and never the image: the model store's blob store
 * ({@link BlobScreenshots}), off the event loop.
 */
public interface ScreenshotSink {

    /**
     * Stores {@code png} of {@code deviceId}; completes with where it is, or fails: with
     * {@link io.autoglm.fleet.modelstore.blob.InvalidBlobException} when the bytes are the device's fault (the
     * device is told {@code invalid-event}), anything else when the store is (it is told {@code unavailable}).
     */
    CompletableFuture<ScreenshotRef> store(String tenant, String deviceId, byte[] png, int width, int height);
}
