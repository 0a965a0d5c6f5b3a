package io.autoglm.fleet.functions.router.pulsar;

import io.autoglm.fleet.events.EventFamily;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.pulsar.PulsarEventPublisher;
import io.autoglm.fleet.events.pulsar.PulsarMessageFactory;
import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.functions.router.DeviceCommands;
import io.cloudevents.CloudEvent;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.transaction.Transaction;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@link DeviceCommands} on Pulsar. A batch is one Pulsar transaction: every message is produced within it
 * and the transaction is committed only when all were accepted; any failure aborts it, and an aborted
 * transaction's messages are never delivered to a consumer. Producers come from a transactional
 * {@link PulsarEventPublisher} (key-based batching for per-device order, no send timeout).
 */
public final class PulsarDeviceCommands implements DeviceCommands {

    private final PulsarClient client;
    private final Topics topics;
    private final Duration transactionTimeout;
    private final PulsarEventPublisher producers;

    /** @param client a client built with {@code enableTransaction(true)} */
    public PulsarDeviceCommands(PulsarClient client, Topics topics, Duration transactionTimeout) {
        this.client = Objects.requireNonNull(client, "client");
        this.topics = Objects.requireNonNull(topics, "topics");
        this.transactionTimeout = Objects.requireNonNull(transactionTimeout, "transactionTimeout");
        this.producers = PulsarEventPublisher.forTransactions(client, topics);
    }

    @Override
    public CompletableFuture<Void> deliver(CloudEvent event) {
        return producers.publish(topicOf(event), event);
    }

    @Override
    public CompletableFuture<Void> deliverAll(String tenant, List<CloudEvent> events) {
        for (CloudEvent event : events) {
            if (!tenant.equals(Events.tenant(event))) {
                throw new IllegalArgumentException("event " + event.getId() + " belongs to tenant " + Events.tenant(event) + ", not " + tenant);
            }
        }
        return client.newTransaction().withTransactionTimeout(transactionTimeout.toMillis(), TimeUnit.MILLISECONDS).build()
                .thenCompose(transaction -> sendAll(transaction, events).handle((sent, failure) -> failure)
                        .thenCompose(failure -> failure == null ? transaction.commit()
                                : transaction.abort().handle((aborted, abortFailure) -> {
                                    throw failure instanceof RuntimeException ? (RuntimeException) failure : new IllegalStateException(failure);
                                })));
    }

    private CompletableFuture<Void> sendAll(Transaction transaction, List<CloudEvent> events) {
        List<CompletableFuture<MessageId>> sends = new ArrayList<>(events.size());
        for (CloudEvent event : events) {
            sends.add(producers.producer(topicOf(event)).thenCompose(producer ->
                    PulsarMessageFactory.createWriter(producer.newMessage(transaction)).writeBinary(event).sendAsync()));
        }
        return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new));
    }

    private String topicOf(CloudEvent event) {
        String tenant = Objects.requireNonNull(Events.tenant(event), "a device command needs a tenant");
        return topics.events(tenant, EventFamily.DEVICE_COMMAND);
    }

    @Override
    public void close() {
        producers.close();
    }
}
