package io.autoglm.fleet.state.pulsar;

import io.autoglm.fleet.events.command.CommandRecord;
import io.autoglm.fleet.events.device.DeviceRecord;
import io.autoglm.fleet.events.device.DeviceStatusChanged;
import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.events.task.DeviceReservation;
import io.autoglm.fleet.events.task.TaskRecord;
import io.autoglm.fleet.state.PerTenant;
import io.autoglm.fleet.state.RegisteredDevice;
import io.autoglm.fleet.state.StateTable;
import io.autoglm.fleet.state.StateTopic;
import org.apache.pulsar.client.api.BatcherBuilder;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link StateTopic} on Pulsar: per tenant, a compacted topic keyed by device id, read through a
 * {@link CompactedTopicView} (which drops tombstoned keys) and written by a producer with key-based batching.
 * Tables open on a tenant's first use and stay open; a failed open is retried on the next use. The producer is
 * created on the first write, or, for a process that writes the topic ({@link #writtenHere()}), while the table
 * opens: a lookup and a producer less on the path of the tenant's first write.
 */
public final class PulsarStateTopic<V> implements StateTopic<V> {

    private final PulsarClient client;
    private final Function<String, String> topicOf;
    private final Class<V> valueType;
    private final Schema<V> schema;
    private final boolean producerAtOpen;
    private final PerTenant<StateTable<V>> tables = new PerTenant<>(this::open);

    public PulsarStateTopic(PulsarClient client, Function<String, String> topicOf, Class<V> valueType) {
        this(client, topicOf, valueType, false);
    }

    private PulsarStateTopic(PulsarClient client, Function<String, String> topicOf, Class<V> valueType, boolean producerAtOpen) {
        this.client = Objects.requireNonNull(client, "client");
        this.topicOf = Objects.requireNonNull(topicOf, "topicOf");
        this.valueType = Objects.requireNonNull(valueType, "valueType");
        this.schema = new JsonRecordSchema<>(valueType);
        this.producerAtOpen = producerAtOpen;
    }

    /** The same topic for a process that writes it: each tenant's producer is created beside its reader, not on the first write. */
    public PulsarStateTopic<V> writtenHere() {
        return new PulsarStateTopic<>(client, topicOf, valueType, true);
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

    /** Every command's one current state, keyed by command id, written by the commands function. */
    public static PulsarStateTopic<CommandRecord> commands(PulsarClient client, Topics topics) {
        return new PulsarStateTopic<>(client, topics::commandState, CommandRecord.class);
    }

    /** Every agent task's one current state, keyed by task id, written by the agent function. */
    public static PulsarStateTopic<TaskRecord> tasks(PulsarClient client, Topics topics) {
        return new PulsarStateTopic<>(client, topics::taskState, TaskRecord.class);
    }

    /** The devices agent tasks hold, keyed by device id, written by the agent function. */
    public static PulsarStateTopic<DeviceReservation> reservations(PulsarClient client, Topics topics) {
        return new PulsarStateTopic<>(client, topics::reservations, DeviceReservation.class);
    }

    @Override
    public CompletableFuture<StateTable<V>> table(String tenant) {
        return tables.of(tenant);
    }

    private CompletableFuture<StateTable<V>> open(String tenant) {
        String topic = topicOf.apply(tenant);
        Supplier<CompletableFuture<Producer<V>>> producers = () -> client.newProducer(schema)
                .topic(topic)
                .enableBatching(true)
                .batcherBuilder(BatcherBuilder.KEY_BASED)
                .batchingMaxPublishDelay(1, TimeUnit.MILLISECONDS)
                .blockIfQueueFull(true)
                .createAsync();
        CompletableFuture<Producer<V>> producer = producerAtOpen ? producers.get() : null;
        return CompactedTopicView.open(client, schema, topic)
                .<StateTable<V>>thenApply(view -> new PulsarStateTable<>(tenant, view, producers, producer))
                .whenComplete((table, failure) -> {
                    if (failure != null && producer != null) {
                        producer.thenCompose(Producer::closeAsync).exceptionally(e -> null);
                    }
                });
    }

    @Override
    public void close() {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        tables.openings().forEach(table -> closing.add(table
                .thenCompose(opened -> ((PulsarStateTable<V>) opened).closeAsync())
                .exceptionally(e -> null)));
        tables.clear();
        CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).join();
    }
}
