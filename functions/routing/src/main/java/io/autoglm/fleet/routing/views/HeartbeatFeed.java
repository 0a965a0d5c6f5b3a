package io.autoglm.fleet.routing.views;

import io.autoglm.fleet.events.device.DeviceHeartbeat;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The tenant's heartbeats as they arrive, for the load each reports. Only new heartbeats matter (an old
 * load report is worse than none), so a feed starts at the end of the log and keeps no position.
 */
public interface HeartbeatFeed extends AutoCloseable {

    /** Calls {@code listener} with every heartbeat of {@code tenant} from now on; completes once following. */
    CompletableFuture<Void> follow(String tenant, Consumer<DeviceHeartbeat> listener);

    @Override
    void close();
}
