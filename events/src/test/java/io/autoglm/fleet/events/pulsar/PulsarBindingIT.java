package io.autoglm.fleet.events.pulsar;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Extensions;
import io.autoglm.fleet.events.fixtures.EventComparison;
import io.autoglm.fleet.events.fixtures.ValidEvents;
import io.autoglm.fleet.events.testing.RealPulsarExtension;
import io.autoglm.fleet.events.testing.TopicNames;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonFormat;
import org.apache.pulsar.client.api.BatcherBuilder;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.SubscriptionInitialPosition;
import org.apache.pulsar.client.api.SubscriptionType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The binding through a real broker: 10,000 events of every type, in binary and structured mode,
 * for 100 devices, produced with key-based batching and consumed by two Key_Shared consumers.
 * Every event must arrive once, equal to what was sent, each device's events in order on one consumer.
 */
@ExtendWith(RealPulsarExtension.class)
class PulsarBindingIT {

    private static final int EVENTS = 10_000;
    private static final int DEVICES = 100;
    private static final String SUBSCRIPTION = "binding-it";

    @Test
    void tenThousandEventsRoundTripThroughTheBrokerInPerDeviceOrder(PulsarClient client) throws Exception {
        String topic = TopicNames.unique("binding");
        List<Consumer<byte[]>> consumers = List.of(subscribe(client, topic, "a"), subscribe(client, topic, "b"));
        Map<String, CloudEvent> sent = new HashMap<>();

        try (Producer<byte[]> producer = client.newProducer(Schema.BYTES)
                .topic(topic)
                .enableBatching(true)
                .batcherBuilder(BatcherBuilder.KEY_BASED)
                .batchingMaxPublishDelay(5, TimeUnit.MILLISECONDS)
                .blockIfQueueFull(true)
                .create()) {
            List<CompletableFuture<MessageId>> sends = new ArrayList<>(EVENTS);
            for (int i = 0; i < EVENTS; i++) {
                CloudEvent event = event(i);
                sent.put(event.getId(), event);
                var writer = PulsarMessageFactory.createWriter(producer.newMessage());
                sends.add((i % 3 == 0 ? writer.writeStructured(event, JsonFormat.CONTENT_TYPE) : writer.writeBinary(event)).sendAsync());
            }
            producer.flush();
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }

        Map<String, List<Integer>> sequenceByDeviceAndConsumer = new ConcurrentHashMap<>();
        Map<String, CloudEvent> received = new ConcurrentHashMap<>();
        AtomicInteger duplicates = new AtomicInteger();
        List<CompletableFuture<Void>> readers = new ArrayList<>();
        for (int c = 0; c < consumers.size(); c++) {
            Consumer<byte[]> consumer = consumers.get(c);
            String name = "consumer-" + c;
            readers.add(CompletableFuture.runAsync(() -> drain(consumer, name, received, sequenceByDeviceAndConsumer, duplicates)));
        }
        CompletableFuture.allOf(readers.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        for (Consumer<byte[]> consumer : consumers) {
            consumer.close();
        }

        assertThat(duplicates).hasValue(0);
        assertThat(received.keySet()).isEqualTo(sent.keySet());
        sent.forEach((id, event) -> EventComparison.assertSameEvent(received.get(id), event));

        Map<String, Set<String>> consumersByDevice = new HashMap<>();
        sequenceByDeviceAndConsumer.forEach((deviceAndConsumer, sequence) -> {
            String[] parts = deviceAndConsumer.split("@");
            consumersByDevice.computeIfAbsent(parts[0], d -> new HashSet<>()).add(parts[1]);
            assertThat(sequence).as("order of %s", deviceAndConsumer).isSorted();
        });
        assertThat(consumersByDevice).hasSize(DEVICES);
        assertThat(consumersByDevice.values()).as("Key_Shared gives each device to exactly one consumer").allMatch(c -> c.size() == 1);
        assertThat(consumersByDevice.values().stream().flatMap(Set::stream).distinct().count())
                .as("both consumers got work").isEqualTo(2);
    }

    private static void drain(Consumer<byte[]> consumer, String name, Map<String, CloudEvent> received,
                              Map<String, List<Integer>> sequences, AtomicInteger duplicates) {
        try {
            while (received.size() < EVENTS) {
                Message<byte[]> message = consumer.receive(2, TimeUnit.SECONDS);
                if (message == null) {
                    continue;
                }
                CloudEvent event = PulsarMessageFactory.createReader(message).toEvent();
                String device = event.getExtension(Extensions.PARTITION_KEY).toString();
                assertThat(message.getKey()).isEqualTo(device);
                assertThat(message.getEventTime()).isEqualTo(event.getTime().toInstant().toEpochMilli());
                if (received.put(event.getId(), event) != null) {
                    duplicates.incrementAndGet();
                }
                sequences.computeIfAbsent(device + "@" + name, k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                        .add(Integer.parseInt(event.getId().substring("evt-".length())));
                consumer.acknowledge(message);
            }
        } catch (Exception e) {
            throw new IllegalStateException(name + " failed", e);
        }
    }

    private static Consumer<byte[]> subscribe(PulsarClient client, String topic, String name) throws Exception {
        return client.newConsumer(Schema.BYTES)
                .topic(topic)
                .subscriptionName(SUBSCRIPTION)
                .consumerName(name)
                .subscriptionType(SubscriptionType.Key_Shared)
                .subscriptionInitialPosition(SubscriptionInitialPosition.Earliest)
                .receiverQueueSize(500)
                .subscribe();
    }

    /** Event {@code i}: the sample of type {@code i mod types}, about device {@code i mod 100}. */
    private static CloudEvent event(int i) {
        EventType type = EventType.values()[i % EventType.values().length];
        return CloudEventBuilder.v1(ValidEvents.of(type))
                .withId("evt-" + i)
                .withTime(OffsetDateTime.parse("2026-11-21T13:05:00Z").plus(Duration.ofMillis(i)))
                .withExtension(Extensions.PARTITION_KEY, "dev-" + (i % DEVICES))
                .withExtension(Extensions.TENANT, i % 2 == 0 ? "acme" : "globex")
                .build();
    }
}
