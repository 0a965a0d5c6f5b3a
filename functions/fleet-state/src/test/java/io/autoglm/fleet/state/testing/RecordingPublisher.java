package io.autoglm.fleet.state.testing;

import io.autoglm.fleet.events.EventPublisher;
import io.cloudevents.CloudEvent;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link EventPublisher} that keeps what it was given, for the functions' broker-free tests. */
public final class RecordingPublisher implements EventPublisher {

    /** Events published to their topics. */
    public final List<CloudEvent> published = new CopyOnWriteArrayList<>();
    /** Timers, with when each is due. */
    public final List<Map.Entry<CloudEvent, Instant>> scheduled = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<Void> publish(CloudEvent event) {
        published.add(event);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> publishAt(CloudEvent event, Instant deliverAt) {
        scheduled.add(Map.entry(event, deliverAt));
        return CompletableFuture.completedFuture(null);
    }

    public void clear() {
        published.clear();
        scheduled.clear();
    }
}
