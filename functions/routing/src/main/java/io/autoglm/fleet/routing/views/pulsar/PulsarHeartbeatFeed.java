package io.autoglm.fleet.routing.views.pulsar;

import io.autoglm.fleet.events.EventFamily;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.device.DeviceHeartbeat;
import io.autoglm.fleet.events.pulsar.PulsarMessageFactory;
import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.routing.views.HeartbeatFeed;
import io.cloudevents.CloudEvent;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Reader;
import org.apache.pulsar.client.api.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * {@link HeartbeatFeed} on Pulsar: a reader of the tenant's heartbeat topic from its end (readers keep no
 * subscription, so a router going away leaves nothing behind on the broker). Anything that is not a valid
 * heartbeat is skipped; the heartbeat function is the one that answers for those.
 */
public final class PulsarHeartbeatFeed implements HeartbeatFeed {

    private static final System.Logger LOG = System.getLogger(PulsarHeartbeatFeed.class.getName());

    private final PulsarClient client;
    private final Topics topics;
    private final Map<String, CompletableFuture<Reader<byte[]>>> readers = new ConcurrentHashMap<>();

    public PulsarHeartbeatFeed(PulsarClient client, Topics topics) {
        this.client = Objects.requireNonNull(client, "client");
        this.topics = Objects.requireNonNull(topics, "topics");
    }

    @Override
    public CompletableFuture<Void> follow(String tenant, Consumer<DeviceHeartbeat> listener) {
        return readers.computeIfAbsent(tenant, t -> client.newReader(Schema.BYTES)
                .topic(topics.events(t, EventFamily.HEARTBEAT))
                .startMessageId(MessageId.latest)
                .readerName("router-load")
                .readerListener((reader, message) -> {
                    try {
                        CloudEvent event = PulsarMessageFactory.createReader(message).toEvent();
                        if (EventType.DEVICE_HEARTBEAT.type().equals(event.getType())) {
                            listener.accept(Events.payload(event, DeviceHeartbeat.class));
                        }
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.DEBUG, "skipped a message on {0} that is not a heartbeat: {1}", message.getTopicName(),
                                e.getMessage());
                    }
                })
                .createAsync()).thenApply(reader -> null);
    }

    @Override
    public void close() {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        readers.values().forEach(reader -> closing.add(reader.thenCompose(Reader::closeAsync).exceptionally(e -> null)));
        readers.clear();
        CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).join();
    }
}
