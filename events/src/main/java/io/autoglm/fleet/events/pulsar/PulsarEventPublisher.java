package io.autoglm.fleet.events.pulsar;

import io.autoglm.fleet.events.EventPublisher;
import io.autoglm.fleet.events.EventType;
import io.cloudevents.CloudEvent;
import org.apache.pulsar.client.api.BatcherBuilder;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.ProducerBuilder;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.TypedMessageBuilder;
import org.apache.pulsar.client.api.transaction.Transaction;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@link EventPublisher} on Pulsar: binary mode through {@link PulsarMessageFactory}, one cached
 * producer per topic with key-based batching, so that a Key_Shared subscription sees each
 * device's events in order. Dead letters are written one message an entry: a replay acknowledges
 * some of them and not others, and a broker without batch-index acknowledgement (the default)
 * would redeliver a whole batch of which only some were acknowledged.
 */
public final class PulsarEventPublisher implements EventPublisher, AutoCloseable {

    private final PulsarClient client;
    private final Topics topics;
    private final Consumer<ProducerBuilder<byte[]>> settings;
    private final Map<String, CompletableFuture<Producer<byte[]>>> producers = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> handOvers = new ConcurrentHashMap<>();
    private final ExecutorService handOver = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "event-publisher-handover");
        thread.setDaemon(true);
        return thread;
    });

    public PulsarEventPublisher(PulsarClient client, Topics topics) {
        this(client, topics, builder -> { });
    }

    /**
     * A publisher whose producers get {@code settings} on top of the defaults, e.g.
     * {@code sendTimeout(0, SECONDS)}, which Pulsar requires of producers that send in a transaction.
     */
    public PulsarEventPublisher(PulsarClient client, Topics topics, Consumer<ProducerBuilder<byte[]>> settings) {
        this.client = Objects.requireNonNull(client, "client");
        this.topics = Objects.requireNonNull(topics, "topics");
        this.settings = Objects.requireNonNull(settings, "settings");
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
        return send(topic, producer -> PulsarMessageFactory.createWriter(producer.newMessage()).writeBinary(event));
    }

    /**
     * Publishes to {@code topic} as part of {@code transaction}: nobody sees the event unless the
     * transaction commits. The producers need {@code sendTimeout(0, ...)} (see the constructor).
     */
    public CompletableFuture<Void> publish(Transaction transaction, String topic, CloudEvent event) {
        return send(topic, producer -> PulsarMessageFactory.createWriter(producer.newMessage(transaction)).writeBinary(event));
    }

    @Override
    public CompletableFuture<Void> publishAt(CloudEvent event, Instant deliverAt) {
        return send(topics.forEvent(event), producer ->
                PulsarMessageFactory.createWriter(producer.newMessage().deliverAt(deliverAt.toEpochMilli())).writeBinary(event));
    }

    /** Creates the producer of the tenant's topic for {@code type} now, rather than at the first publish. */
    @Override
    public void prepare(String tenant, EventType type) {
        producer(topics.events(tenant, type.family()));
    }

    /**
     * Sends in call order, also while the topic's producer is still being created: callbacks on one
     * pending future run last-registered-first, which would reverse a device's first events. Sends
     * that waited for the producer are handed over on a thread of their own: on the Pulsar client's
     * I/O thread, a send blocked on a full queue would wait for acknowledgements that same thread delivers.
     */
    private CompletableFuture<Void> send(String topic, Function<Producer<byte[]>, TypedMessageBuilder<byte[]>> message) {
        CompletableFuture<Producer<byte[]>> producer = producer(topic);
        CompletableFuture<Void> waiting = handOvers.get(topic);
        if (producer.isDone() && !producer.isCompletedExceptionally() && (waiting == null || waiting.isDone())) {
            return message.apply(producer.join()).sendAsync().thenApply(id -> null);
        }
        synchronized (handOvers) {
            CompletableFuture<Void> previous = handOvers.getOrDefault(topic, CompletableFuture.completedFuture(null));
            CompletableFuture<CompletableFuture<MessageId>> handedOver = previous.thenCompose(ready -> producer)
                    .thenApplyAsync(ready -> message.apply(ready).sendAsync(), handOver);
            CompletableFuture<Void> next = handedOver.handle((sent, failure) -> null);
            handOvers.put(topic, next);
            next.thenRun(() -> handOvers.remove(topic, next));
            return handedOver.thenCompose(sent -> sent).thenApply(id -> null);
        }
    }

    /** The cached producer for {@code topic}, created on first use. */
    public CompletableFuture<Producer<byte[]>> producer(String topic) {
        CompletableFuture<Producer<byte[]>> producer = producers.computeIfAbsent(topic, t -> {
            ProducerBuilder<byte[]> builder = client.newProducer(Schema.BYTES)
                    .topic(t)
                    .enableBatching(!topics.isDeadLetters(t))
                    .batcherBuilder(BatcherBuilder.KEY_BASED)
                    .batchingMaxPublishDelay(1, TimeUnit.MILLISECONDS)
                    .blockIfQueueFull(true);
            settings.accept(builder);
            return builder.createAsync();
        });
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
        handOver.shutdown();
    }
}
