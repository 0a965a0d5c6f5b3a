package io.autoglm.fleet.modelstore.testing;

import io.autoglm.fleet.events.EventPublisher;
import io.cloudevents.CloudEvent;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link EventPublisher} for unit tests: keeps what it is given; can be told to fail. */
public final class RecordingEventPublisher implements EventPublisher {

    private final List<CloudEvent> events = new CopyOnWriteArrayList<>();
    private volatile boolean failing;

    @Override
    public CompletableFuture<Void> publish(CloudEvent event) {
        if (failing) {
            return CompletableFuture.failedFuture(new IllegalStateException("broker unreachable"));
        }
        events.add(event);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> publishAt(CloudEvent event, Instant deliverAt) {
        return publish(event);
    }

    public List<CloudEvent> events() {
        return List.copyOf(events);
    }

    public void failing(boolean fail) {
        this.failing = fail;
    }
}
