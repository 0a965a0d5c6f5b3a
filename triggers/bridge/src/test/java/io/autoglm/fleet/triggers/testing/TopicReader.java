package io.autoglm.fleet.triggers.testing;

import io.autoglm.fleet.events.pulsar.PulsarMessageFactory;
import io.cloudevents.CloudEvent;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Reader;
import org.apache.pulsar.client.api.Schema;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Reads the events of a topic from its start, for assertions. */
public final class TopicReader {

    private TopicReader() {
    }

    /** The events of {@code topic} once {@code until} holds for them, or what is there after {@code timeout}. */
    public static List<CloudEvent> events(PulsarClient client, String topic, Predicate<List<CloudEvent>> until, Duration timeout)
            throws Exception {
        List<CloudEvent> events = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Reader<byte[]> reader = client.newReader(Schema.BYTES).topic(topic).startMessageId(MessageId.earliest).create()) {
            while (!until.test(events) && System.nanoTime() < deadline) {
                Message<byte[]> message = reader.readNext(200, TimeUnit.MILLISECONDS);
                if (message != null) {
                    events.add(PulsarMessageFactory.createReader(message).toEvent());
                }
            }
        }
        return events;
    }

    /** The events {@code topic} has after {@code quiet} without a new one. */
    public static List<CloudEvent> settled(PulsarClient client, String topic, Duration quiet) throws Exception {
        List<CloudEvent> events = new ArrayList<>();
        try (Reader<byte[]> reader = client.newReader(Schema.BYTES).topic(topic).startMessageId(MessageId.earliest).create()) {
            Message<byte[]> message;
            while ((message = reader.readNext((int) quiet.toMillis(), TimeUnit.MILLISECONDS)) != null) {
                events.add(PulsarMessageFactory.createReader(message).toEvent());
            }
        }
        return events;
    }
}
