package io.autoglm.fleet.events.pulsar;

import io.autoglm.fleet.events.EventPublisher;
import io.cloudevents.CloudEvent;
import org.apache.pulsar.client.api.BatcherBuilder;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.ProducerBuilder;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.TypedMessageBuilder;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * {@link EventPublisher} on Pulsar: binary mode through {@link PulsarMessageFactory}, one cached
 * producer per topic with key-based batching, so that a Key_Shared subscription sees each
 * device's events in order.
 */
public final class PulsarEventPublisher implements EventPublisher, AutoCloseable {

    private final PulsarClient client;
    private final Topics topics;
    private final UnaryOperator<ProducerBuilder<byte[]>> producerSettings;
    private final Map<String, CompletableFuture<Producer<byte[]>>> producers = new ConcurrentHashMap<>();

    public PulsarEventPublisher(PulsarClient client, Topics topics) {
        this(client, topics, UnaryOperator.identity());
    }

    private PulsarEventPublisher(PulsarClient client, Topics topics, UnaryOperator<ProducerBuilder<byte[]>> producerSettings) {
        this.client = Objects.requireNonNull(client, "client");
        this.topics = Objects.requireNonNull(topics, "topics");
        this.producerSettings = producerSettings;
    }

    /**
     * A publisher whose producers can send within a transaction ({@code producer(topic)} then
     * {@code newMessage(transaction)}): Pulsar requires them to have no send timeout.
     */
    public static PulsarEventPublisher forTransactions(PulsarClient client, Topics topics) {
        return new PulsarEventPublisher(client, topics, builder -> builder.sendTimeout(0, TimeUnit.SECONDS));
    }

    @Override
    public CompletableFuture<Void> publish(CloudEvent event) {
        return publish(topics.forEvent(event), event);
    }

    /** Publishes to an explicit topic (e.g. a device command topic). */
    public CompletableFuture<Void> publish(String topic, CloudEvent event) {
        return producer(topic).thenCompose(producer ->
                PulsarMessageFactory.createWriter(producer.newMessage()).writeBinary(event).sendAsync()).thenApply(id -> null);
    }

    @Override
    public CompletableFuture<Void> publishAt(CloudEvent event, Instant deliverAt) {
        return producer(topics.forEvent(event)).thenCompose(producer -> {
            TypedMessageBuilder<byte[]> message = producer.newMessage().deliverAt(deliverAt.toEpochMilli());
            return PulsarMessageFactory.createWriter(message).writeBinary(event).sendAsync();
        }).thenApply(id -> null);
    }

    /** The cached producer for {@code topic}, created on first use. */
    public CompletableFuture<Producer<byte[]>> producer(String topic) {
        CompletableFuture<Producer<byte[]>> producer = producers.computeIfAbsent(topic, t -> producerSettings.apply(client.newProducer(Schema.BYTES)
                .topic(t)
                .enableBatching(true)
                .batcherBuilder(BatcherBuilder.KEY_BASED)
                .batchingMaxPublishDelay(1, TimeUnit.MILLISECONDS)
                .blockIfQueueFull(true))
                .createAsync());
        if (producer.isCompletedExceptionally()) {
            producers.remove(topic, producer);
        }
        return producer;
    }

    /** Flushes and closes every producer; the client stays open (it is not ours). */
    @Override
    public void close() {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        producers.values().forEach(future -> closing.add(future.thenCompose(Producer::closeAsync).exceptionally(e -> null)));
        producers.clear();
        CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).join();
    }
}
