package io.autoglm.fleet.triggers.gateway;

import io.autoglm.fleet.events.pulsar.PulsarMessageFactory;
import io.cloudevents.CloudEvent;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Reader;
import org.apache.pulsar.client.api.Schema;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Follows topics from their end (non-durable readers: every replica sees every message, none keeps a
 * subscription behind), opened on first need: the commands and presence of a tenant once one of its
 * devices connects here, its device topic once one of its devices asks to register. A tail is open when
 * its future completes, so whatever is written after that reaches the handler; a tail that could not
 * open is tried again at the next need.
 */
final class TopicTails implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TopicTails.class);

    private final PulsarClient client;
    private final Map<String, CompletableFuture<Reader<byte[]>>> tails = new ConcurrentHashMap<>();

    TopicTails(PulsarClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /** Follows {@code topic}, each readable event to {@code handler} (on a Pulsar listener thread, in log order). */
    CompletableFuture<Void> follow(String topic, Consumer<CloudEvent> handler) {
        return followMessages(topic, (properties, value) -> {
            CloudEvent event;
            try {
                event = PulsarMessageFactory.createReader(properties, value).toEvent();
            } catch (RuntimeException e) {
                LOG.debugf("skipping a message of %s that is not a CloudEvent: %s", topic, e.getMessage());
                return;
            }
            handler.accept(event);
        });
    }

    /**
     * Follows {@code topic}, each message's properties and value to {@code handler} as they are (on a Pulsar listener
     * thread, in log order): for a path that reads a few properties and copies the rest.
     */
    CompletableFuture<Void> followMessages(String topic, BiConsumer<Map<String, String>, byte[]> handler) {
        CompletableFuture<Reader<byte[]>> tail = tails.computeIfAbsent(topic, t -> client.newReader(Schema.BYTES)
                .topic(t)
                .startMessageId(MessageId.latest)
                .readerListener((reader, message) -> {
                    try {
                        handler.accept(message.getProperties(), message.getValue());
                    } catch (RuntimeException e) {
                        LOG.warnf(e, "handling message %s of %s failed", message.getMessageId(), t);
                    }
                })
                .createAsync());
        tail.whenComplete((reader, failure) -> {
            if (failure != null) {
                LOG.warnf("could not follow %s: %s", topic, failure.getMessage());
                tails.remove(topic, tail);
            }
        });
        return tail.thenApply(reader -> null);
    }

    int open() {
        return tails.size();
    }

    @Override
    public void close() {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        tails.values().forEach(tail -> closing.add(tail.thenCompose(Reader::closeAsync).exceptionally(e -> null)));
        tails.clear();
        CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).join();
    }
}
