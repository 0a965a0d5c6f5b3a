package io.autoglm.fleet.functions.router;

import io.cloudevents.CloudEvent;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where devices pick up their work: each tenant's device command topic, keyed by device id. A batch is
 * delivered all together or not at all.
 */
public interface DeviceCommands extends AutoCloseable {

    /** Delivers one event (its tenant and {@code partitionkey} say where). */
    CompletableFuture<Void> deliver(CloudEvent event);

    /** Delivers every event of {@code tenant}, atomically: on any failure none is ever visible to a device. */
    CompletableFuture<Void> deliverAll(String tenant, List<CloudEvent> events);

    @Override
    void close();
}
