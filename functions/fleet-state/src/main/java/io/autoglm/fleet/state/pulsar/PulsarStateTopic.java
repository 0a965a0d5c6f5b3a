package io.autoglm.fleet.state.pulsar;

import io.autoglm.fleet.events.device.DeviceRecord;
import io.autoglm.fleet.events.device.DeviceStatusChanged;
import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.state.RegisteredDevice;
import io.autoglm.fleet.state.StateTable;
import io.autoglm.fleet.state.StateTopic;
import org.apache.pulsar.client.api.BatcherBuilder;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.TableView;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * {@link StateTopic} on Pulsar: per tenant, a compacted topic keyed by device id, read through a
 * {@code TableView} (which drops tombstoned keys) and written by a producer with key-based batching.
 * Tables open on a tenant's first use and stay open; a failed open is retried on the next use.
 */
public final class PulsarStateTopic<V> implements StateTopic<V> {

    /** The longest a table being opened waits for the topic's last record to show. */
    static final Duration CATCH_UP_LIMIT = Duration.ofSeconds(10);

    private final PulsarClient client;
    private final Function<String, String> topicOf;
    private final Schema<V> schema;
    private final Map<String, CompletableFuture<StateTable<V>>> tables = new ConcurrentHashMap<>();

    public PulsarStateTopic(PulsarClient client, Function<String, String> topicOf, Class<V> valueType) {
        this.client = Objects.requireNonNull(client, "client");
        this.topicOf = Objects.requireNonNull(topicOf, "topicOf");
        this.schema = new JsonRecordSchema<>(valueType);
    }

    /** The registry: {@code DeviceRecord}s keyed by device id, tombstoned on deregistration. */
    public static PulsarStateTopic<DeviceRecord> registry(PulsarClient client, Topics topics) {
        return new PulsarStateTopic<>(client, topics::registry, DeviceRecord.class);
    }

    /** The registry read for membership only: which devices exist, not what they declared. Read-only. */
    public static PulsarStateTopic<RegisteredDevice> registrations(PulsarClient client, Topics topics) {
        return new PulsarStateTopic<>(client, topics::registry, RegisteredDevice.class);
    }

    /** Each device's liveness as of its last transition, keyed by device id. */
    public static PulsarStateTopic<DeviceStatusChanged> liveness(PulsarClient client, Topics topics) {
        return new PulsarStateTopic<>(client, topics::liveness, DeviceStatusChanged.class);
    }

    @Override
    public CompletableFuture<StateTable<V>> table(String tenant) {
        Objects.requireNonNull(tenant, "tenant");
        CompletableFuture<StateTable<V>> table = tables.computeIfAbsent(tenant, this::open);
        if (table.isCompletedExceptionally()) {
            tables.remove(tenant, table);
        }
        return table;
    }

    private CompletableFuture<StateTable<V>> open(String tenant) {
        String topic = topicOf.apply(tenant);
        return client.newTableView(schema).topic(topic).createAsync()
                .thenCompose(view -> caughtUp(topic, view).thenApply(done -> view))
                .thenApply(view -> new PulsarStateTable<>(tenant, view, () -> client.newProducer(schema)
                        .topic(topic)
                        .enableBatching(true)
                        .batcherBuilder(BatcherBuilder.KEY_BASED)
                        .batchingMaxPublishDelay(1, TimeUnit.MILLISECONDS)
                        .blockIfQueueFull(true)
                        .createAsync()));
    }

    /**
     * Completes once {@code view} shows the topic's last message as of now. Pulsar's TableViewImpl (4.0.x up to 4.2.0)
     * records a message's position before it applies the value, so its own create and refresh can complete a moment
     * before the last record is in the map (apache/pulsar#26566; seen here as a record written just before missing
     * from a table opened just after). So the last message is read with a plain reader and the view is watched until
     * it holds that value; if the key moves on meanwhile (another writer), the wait ends after {@link #CATCH_UP_LIMIT}.
     */
    private CompletableFuture<Void> caughtUp(String topic, TableView<V> view) {
        return client.newReader(schema).topic(topic).startMessageId(MessageId.latest).startMessageIdInclusive().createAsync()
                .thenCompose(reader -> reader.hasMessageAvailableAsync()
                        .thenCompose(available -> available ? reader.readNextAsync().thenApply(Optional::of)
                                : CompletableFuture.completedFuture(Optional.<Message<V>>empty()))
                        .whenComplete((last, failure) -> reader.closeAsync()))
                .thenCompose(last -> last.filter(Message::hasKey)
                        .map(message -> showing(view, message.getKey(), message.size() > 0 ? message.getValue() : null,
                                System.nanoTime() + CATCH_UP_LIMIT.toNanos()))
                        .orElse(CompletableFuture.completedFuture(null)));
    }

    private static <V> CompletableFuture<Void> showing(TableView<V> view, String key, V value, long deadline) {
        if (Objects.equals(view.get(key), value) || System.nanoTime() > deadline) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(5, TimeUnit.MILLISECONDS))
                .thenCompose(waited -> showing(view, key, value, deadline));
    }

    @Override
    public void close() {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        tables.values().forEach(table -> closing.add(table
                .thenCompose(opened -> ((PulsarStateTable<V>) opened).closeAsync())
                .exceptionally(e -> null)));
        tables.clear();
        CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).join();
    }
}
