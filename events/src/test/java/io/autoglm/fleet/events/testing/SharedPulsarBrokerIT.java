package io.autoglm.fleet.events.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.pulsar.client.api.BatcherBuilder;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.MessageListener;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Reader;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.SubscriptionInitialPosition;
import org.apache.pulsar.client.api.SubscriptionType;
import org.apache.pulsar.client.api.TableView;
import org.apache.pulsar.client.api.transaction.Transaction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The broker the integration tests share has the Pulsar features the fleet relies on. */
@ExtendWith(RealPulsarExtension.class)
class SharedPulsarBrokerIT {

    @Test
    void sameBrokerForEveryCaller(PulsarEndpoints endpoints) {
        assertThat(SharedPulsarBroker.endpoints()).isSameAs(endpoints);
        assertThat(endpoints.serviceUrl()).startsWith("pulsar://");
        assertThat(endpoints.adminUrl()).startsWith("http://");
    }

    @Test
    void producedMessageIsConsumedWithKeyAndProperties(PulsarClient client) throws Exception {
        String topic = TopicNames.unique("round-trip");
        try (Consumer<String> consumer = subscribe(client, topic, SubscriptionType.Exclusive);
                Producer<String> producer = client.newProducer(Schema.STRING).topic(topic).create()) {
            producer.newMessage().key("device-1").property("ce_type", "io.autoglm.device.heartbeat").value("beat").send();

            Message<String> received = consumer.receive(10, TimeUnit.SECONDS);

            assertThat(received).isNotNull();
            assertThat(received.getValue()).isEqualTo("beat");
            assertThat(received.getKey()).isEqualTo("device-1");
            assertThat(received.getProperty("ce_type")).isEqualTo("io.autoglm.device.heartbeat");
        }
    }

    @Test
    void delayedMessageArrivesAfterItsDelay(PulsarClient client) throws Exception {
        String topic = TopicNames.unique("delayed");
        Duration delay = Duration.ofSeconds(2);
        try (Consumer<String> consumer = subscribe(client, topic, SubscriptionType.Shared);
                Producer<String> producer = client.newProducer(Schema.STRING).topic(topic).enableBatching(false).create()) {
            long sentAt = System.currentTimeMillis();
            producer.newMessage().value("deadline").deliverAfter(delay.toMillis(), TimeUnit.MILLISECONDS).send();
            producer.send("immediate");

            Message<String> first = consumer.receive(10, TimeUnit.SECONDS);
            Message<String> second = consumer.receive(10, TimeUnit.SECONDS);
            long elapsed = System.currentTimeMillis() - sentAt;

            assertThat(first).extracting(Message::getValue).isEqualTo("immediate");
            assertThat(second).extracting(Message::getValue).isEqualTo("deadline");
            assertThat(elapsed).isBetween(delay.toMillis(), delay.toMillis() + 3_000);
        }
    }

    @Test
    void abortedTransactionIsNeverVisible(PulsarEndpoints endpoints) throws Exception {
        String topic = TopicNames.unique("transactions");
        try (PulsarClient client = endpoints.clientBuilder().enableTransaction(true).build();
                Consumer<String> consumer = subscribe(client, topic, SubscriptionType.Exclusive);
                Producer<String> producer = client.newProducer(Schema.STRING).topic(topic).sendTimeout(0, TimeUnit.SECONDS).create()) {
            Transaction committed = newTransaction(client);
            producer.newMessage(committed).value("committed").send();
            committed.commit().get();
            Transaction aborted = newTransaction(client);
            producer.newMessage(aborted).value("aborted").send();
            aborted.abort().get();
            producer.send("after");

            // "after" follows the abort in the topic, so once it is here the aborted message can no longer come
            List<String> received = new ArrayList<>();
            for (Message<String> message; !received.contains("after")
                    && (message = consumer.receive(10, TimeUnit.SECONDS)) != null; ) {
                received.add(message.getValue());
            }

            assertThat(received).containsExactly("committed", "after");
        }
    }

    @Test
    void compactedTopicReadAsTableViewDropsTombstonedKey(PulsarClient client, PulsarEndpoints endpoints) throws Exception {
        String topic = TopicNames.unique("registry");
        try (Producer<String> producer = client.newProducer(Schema.STRING).topic(topic).enableBatching(false).create()) {
            producer.newMessage().key("device-1").value("v1").send();
            producer.newMessage().key("device-1").value("v2").send();
            producer.newMessage().key("device-2").value("registered").send();
            producer.newMessage().key("device-2").value(null).send();
        }

        compact(endpoints, topic);

        List<String> compacted = new ArrayList<>();
        try (Reader<String> reader = client.newReader(Schema.STRING).topic(topic)
                .startMessageId(MessageId.earliest).readCompacted(true).create()) {
            while (reader.hasMessageAvailable()) {
                Message<String> message = reader.readNext(5, TimeUnit.SECONDS);
                compacted.add(message.getKey() + "=" + message.getValue());
            }
        }
        assertThat(compacted).containsExactly("device-1=v2");
        try (TableView<String> table = client.newTableView(Schema.STRING).topic(topic).create()) {
            assertThat(table.keySet()).containsExactly("device-1");
            assertThat(table.get("device-1")).isEqualTo("v2");
        }
    }

    @Test
    void keySharedSubscriptionKeepsEachKeyOnOneConsumerInOrder(PulsarClient client) throws Exception {
        String topic = TopicNames.unique("key-shared");
        int keys = 10;
        int perKey = 20;
        Map<String, Set<String>> consumersByKey = new ConcurrentHashMap<>();
        Map<String, List<Integer>> sequencesByKey = new ConcurrentHashMap<>();
        CountDownLatch all = new CountDownLatch(keys * perKey);
        MessageListener<String> listener = (consumer, message) -> {
            consumersByKey.computeIfAbsent(message.getKey(), key -> ConcurrentHashMap.newKeySet()).add(consumer.getConsumerName());
            sequencesByKey.computeIfAbsent(message.getKey(), key -> new CopyOnWriteArrayList<>()).add(Integer.valueOf(message.getValue()));
            consumer.acknowledgeAsync(message);
            all.countDown();
        };
        try (Consumer<String> first = keyShared(client, topic, "first", listener);
                Consumer<String> second = keyShared(client, topic, "second", listener);
                Producer<String> producer = client.newProducer(Schema.STRING).topic(topic)
                        .batcherBuilder(BatcherBuilder.KEY_BASED).create()) {
            for (int sequence = 0; sequence < perKey; sequence++) {
                for (int key = 0; key < keys; key++) {
                    producer.newMessage().key("device-" + key).value(Integer.toString(sequence)).sendAsync();
                }
            }
            producer.flush();

            assertThat(all.await(30, TimeUnit.SECONDS)).as("all messages received").isTrue();
        }
        List<Integer> inOrder = IntStream.range(0, perKey).boxed().toList();
        assertThat(sequencesByKey).hasSize(keys);
        sequencesByKey.forEach((key, sequence) -> assertThat(sequence).as("sequence of %s", key).isEqualTo(inOrder));
        consumersByKey.forEach((key, consumers) -> assertThat(consumers).as("consumers of %s", key).hasSize(1));
    }

    private static Consumer<String> keyShared(PulsarClient client, String topic, String name, MessageListener<String> listener)
            throws Exception {
        return client.newConsumer(Schema.STRING).topic(topic).subscriptionName("it").consumerName(name)
                .subscriptionType(SubscriptionType.Key_Shared).messageListener(listener).subscribe();
    }

    private static Consumer<String> subscribe(PulsarClient client, String topic, SubscriptionType type) throws Exception {
        return client.newConsumer(Schema.STRING).topic(topic).subscriptionName("it").subscriptionType(type)
                .subscriptionInitialPosition(SubscriptionInitialPosition.Earliest).subscribe();
    }

    private static Transaction newTransaction(PulsarClient client) throws Exception {
        return client.newTransaction().withTransactionTimeout(1, TimeUnit.MINUTES).build().get();
    }

    /** Runs compaction through the admin REST API and waits until it has finished. */
    private static void compact(PulsarEndpoints endpoints, String topic) throws Exception {
        URI compaction = URI.create(endpoints.adminUrl() + "/admin/v2/" + topic.replace("://", "/") + "/compaction");
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> started = http.send(HttpRequest.newBuilder(compaction).PUT(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(204);
        ObjectMapper json = new ObjectMapper();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String status;
        do {
            Thread.sleep(200);
            String body = http.send(HttpRequest.newBuilder(compaction).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
            status = json.readTree(body).path("status").asText();
        } while (status.equals("RUNNING") && System.nanoTime() < deadline);
        assertThat(status).isEqualTo("SUCCESS");
    }
}
