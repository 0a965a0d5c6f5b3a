package io.autoglm.fleet.events;

import io.cloudevents.CloudEvent;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Sends events to the event log. Business code depends on this, not on the broker: the Pulsar
 * implementation picks the topic from the event's type and tenant and keys it by device id.
 * A future completes once the broker has the event.
 */
public interface EventPublisher {

    CompletableFuture<Void> publish(CloudEvent event);

    /** Publishes {@code event} so that subscribers receive it at {@code deliverAt}, not before (a timer). */
    CompletableFuture<Void> publishAt(CloudEvent event, Instant deliverAt);

    /**
     * Gets ready to publish events of {@code type} for {@code tenant} (a broker connection, a producer), so that the
     * first of them does not wait for it. Does nothing by default.
     */
    default void prepare(String tenant, EventType type) {
    }
}
