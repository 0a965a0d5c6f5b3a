package io.autoglm.fleet.events.pulsar;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.fixtures.ValidEvents;
import io.autoglm.fleet.events.testing.RealPulsarExtension;
import io.autoglm.fleet.events.testing.TopicNames;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Reader;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(RealPulsarExtension.class)
class PulsarEventPublisherIT {

    @Test
    void eventsPublishedWhileTheProducerIsStillBeingCreatedKeepTheirOrder(PulsarClient client) throws Exception {
        String topic = TopicNames.unique("publisher-order");
        List<String> sent = new ArrayList<>();
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        try (PulsarEventPublisher publisher = new PulsarEventPublisher(client, Topics.defaults())) {
            for (int i = 0; i < 200; i++) {
                CloudEvent event = CloudEventBuilder.v1(ValidEvents.of(EventType.DEVICE_HEARTBEAT)).withId("hb-" + i).build();
                sent.add(event.getId());
                acks.add(publisher.publish(topic, event));
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        }

        List<String> received = new ArrayList<>();
        try (Reader<byte[]> reader = client.newReader(Schema.BYTES).topic(topic).startMessageId(MessageId.earliest).create()) {
            while (received.size() < sent.size()) {
                Message<byte[]> message = reader.readNext(10, TimeUnit.SECONDS);
                assertThat(message).as("message %d", received.size()).isNotNull();
                received.add(PulsarMessageFactory.createReader(message).toEvent().getId());
            }
        }
        assertThat(received).containsExactlyElementsOf(sent);
    }
}
