package io.autoglm.fleet.controlplane;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.pulsar.PulsarMessageFactory;
import io.cloudevents.CloudEvent;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.SubscriptionInitialPosition;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;

/** Every event that appears on some topics, as a test watching the system from outside sees them. */
final class EventLog implements AutoCloseable {

    /** An event, the Pulsar key it was published under, and when this log received it (epoch ms). */
    record Seen(String key, String topic, CloudEvent event, long seenAtMillis) {
        boolean is(EventType type) {
            return type.type().equals(event.getType());
        }

        <T> T payload(Class<T> type) {
            return Events.payload(event, type);
        }
    }

    private final Queue<Seen> seen = new ConcurrentLinkedQueue<>();
    private final Consumer<byte[]> consumer;

    EventLog(PulsarClient client, List<String> topics) throws PulsarClientException {
        consumer = client.newConsumer(Schema.BYTES).topics(topics).subscriptionName("observer-" + UUID.randomUUID())
                .subscriptionInitialPosition(SubscriptionInitialPosition.Earliest)
                .messageListener((c, message) -> {
                    seen.add(new Seen(message.getKey(), message.getTopicName(), PulsarMessageFactory.createReader(message).toEvent(),
                            System.currentTimeMillis()));
                    c.acknowledgeAsync(message);
                })
                .subscribe();
    }

    List<Seen> of(EventType type) {
        return seen.stream().filter(s -> s.is(type)).toList();
    }

    <T> List<T> payloads(EventType type, Class<T> payloadType) {
        return of(type).stream().map(s -> s.payload(payloadType)).toList();
    }

    /** Waits until {@code condition} holds; false if it did not within {@code timeout}. */
    static boolean await(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }

    @Override
    public void close() throws PulsarClientException {
        consumer.close();
    }
}
