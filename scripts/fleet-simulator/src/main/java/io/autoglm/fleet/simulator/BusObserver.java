package io.autoglm.fleet.simulator;

import io.autoglm.fleet.events.EventFamily;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.Extensions;
import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.events.Rejection;
import io.autoglm.fleet.events.command.CommandBatchDispatched;
import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.command.CommandRecord;
import io.autoglm.fleet.events.device.DevicePresence;
import io.autoglm.fleet.events.device.DeviceRegistered;
import io.autoglm.fleet.events.device.DeviceStatusChanged;
import io.autoglm.fleet.events.device.LivenessStatus;
import io.autoglm.fleet.events.inference.InferenceCompleted;
import io.autoglm.fleet.events.inference.InferenceDispatched;
import io.autoglm.fleet.events.inference.InferenceFailed;
import io.autoglm.fleet.events.pulsar.PulsarMessageFactory;
import io.autoglm.fleet.events.pulsar.Topics;
import io.cloudevents.CloudEvent;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.RegexSubscriptionMode;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.SubscriptionInitialPosition;
import org.apache.pulsar.client.api.SubscriptionType;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Watches the bus the way an operator's dashboard would: every event family's topics of every
 * tenant, the dead-letter topics and the command state tables. Turns what it sees into {@link FleetStatus}: registrations
 * (handed to the fleet so devices learn their ids), status changes, routing decisions, inference
 * answers, dead letters.
 */
final class BusObserver implements AutoCloseable {

    /** A registration the registry answered: which request, which device id. */
    record Registration(String requestId, String deviceId) {
    }

    /** A device's new liveness status, as the heartbeat function announced it. */
    record StatusChange(String deviceId, LivenessStatus status) {
    }

    /** One of a task's life events ({@code task.*} announced by the agent function), of {@code tenant}. */
    record TaskEvent(String tenant, EventType type, Object payload, long at) {
    }

    private static final System.Logger LOG = System.getLogger(BusObserver.class.getName());
    private static final Duration POLL = Duration.ofMillis(100);

    private final FleetStatus status;
    private final Queue<Registration> registrations = new ConcurrentLinkedQueue<>();
    private final Queue<StatusChange> statusChanges = new ConcurrentLinkedQueue<>();
    private final Queue<TaskEvent> taskEvents = new ConcurrentLinkedQueue<>();
    private final Consumer<byte[]> events;
    private final Consumer<byte[]> deadLetters;
    private final Consumer<byte[]> commandStates;
    private final List<Thread> readers;
    private volatile boolean running = true;

    BusObserver(PulsarClient client, Topics topics, FleetStatus status) throws PulsarClientException {
        this.status = Objects.requireNonNull(status);
        this.events = watch(client, topics.allTenants(EnumSet.allOf(EventFamily.class)));
        this.deadLetters = watch(client, topics.deadLettersOfAllTenants());
        this.commandStates = watch(client, topics.commandStatesOfAllTenants());
        this.readers = List.of(reader("bus-observer-events", events, this::observe), reader("bus-observer-dead-letters", deadLetters, this::deadLetter),
                reader("bus-observer-command-states", commandStates, this::commandState));
    }

    /** A consumer of every topic {@code pattern} matches, now and as they appear, from their first message. */
    private static Consumer<byte[]> watch(PulsarClient client, java.util.regex.Pattern pattern) throws PulsarClientException {
        return client.newConsumer(Schema.BYTES).topicsPattern(pattern)
                .subscriptionTopicsMode(RegexSubscriptionMode.PersistentOnly).patternAutoDiscoveryPeriod(1, TimeUnit.SECONDS)
                .subscriptionName("fleet-simulator").subscriptionType(SubscriptionType.Shared)
                .subscriptionInitialPosition(SubscriptionInitialPosition.Earliest).subscribe();
    }

    /**
     * Reads on a thread of its own rather than through a message listener: a pattern consumer's listener can
     * still be handed messages after the consumer closed, and then fails inside the Pulsar client (4.0.8).
     */
    private Thread reader(String name, Consumer<byte[]> consumer, java.util.function.Consumer<Message<byte[]>> handler) {
        Thread thread = new Thread(() -> {
            while (running) {
                try {
                    Message<byte[]> message = consumer.receive((int) POLL.toMillis(), TimeUnit.MILLISECONDS);
                    if (message != null) {
                        handler.accept(message);
                        consumer.acknowledgeAsync(message);
                    }
                } catch (PulsarClientException e) {
                    return; // closed (or the client is): the simulator is stopping
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, name + ": an event could not be taken into the status: " + e);
                }
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Registrations answered since the last call. */
    Registration nextRegistration() {
        return registrations.poll();
    }

    /** The next device status change seen (null when none is waiting), so operators know which devices are ONLINE. */
    StatusChange nextStatusChange() {
        return statusChanges.poll();
    }

    /** The next task life event seen (null when none is waiting), for the operators' task book and their answers. */
    TaskEvent nextTaskEvent() {
        return taskEvents.poll();
    }

    private void observe(Message<byte[]> message) {
        status.onBus();
        CloudEvent event;
        EventType type;
        try {
            event = PulsarMessageFactory.createReader(message).toEvent();
            type = Events.typeOf(event);
        } catch (RuntimeException e) {
            return; // not ours to judge: the dispatcher dead-letters what it cannot read
        }
        String tenant = Events.tenant(event);
        switch (type) {
            case DEVICE_REGISTERED -> {
                DeviceRegistered registered = Events.payload(event, DeviceRegistered.class);
                status.registered(tenant, registered.device().deviceId());
                registrations.add(new Registration(registered.requestId(), registered.device().deviceId()));
            }
            case DEVICE_REGISTRATION_REJECTED -> status.registrationRejected(Events.payload(event, Rejection.class).problems().stream()
                    .map(problem -> problem.location() + ": " + problem.message()).collect(Collectors.joining("; ")));
            case DEVICE_STATUS_CHANGED -> {
                DeviceStatusChanged changed = Events.payload(event, DeviceStatusChanged.class);
                status.status(tenant, changed.deviceId(), changed.current());
                statusChanges.add(new StatusChange(changed.deviceId(), changed.current()));
            }
            case COMMAND_DISPATCHED -> status.decision("command dispatched");
            case COMMAND_REJECTED -> {
                status.commands().refusedByRouter(Events.payload(event, Rejection.class).requestId());
                status.decision("command rejected");
                status.rejected(problems(event));
            }
            case COMMAND_BATCH_DISPATCHED -> status.decision("batch of " + Events.payload(event, CommandBatchDispatched.class).commands().size()
                    + " dispatched");
            case COMMAND_BATCH_REJECTED -> {
                status.commands().batchRefusedByRouter(Events.payload(event, Rejection.class).requestId());
                status.decision("batch rejected");
                status.rejected(problems(event));
            }
            case DEVICE_CONNECTED -> status.presence(Events.payload(event, DevicePresence.class).deviceId(),
                    Events.payload(event, DevicePresence.class).gateway());
            case DEVICE_DISCONNECTED -> status.presence(Events.payload(event, DevicePresence.class).deviceId(), null);
            case INFERENCE_DISPATCHED -> status.decision("inference to "
                    + String.valueOf(Events.payload(event, InferenceDispatched.class).placement()).toLowerCase());
            case INFERENCE_COMPLETED -> status.inferenceDone(Events.payload(event, InferenceCompleted.class).requestId(), message.getPublishTime());
            case INFERENCE_FAILED -> {
                InferenceFailed failed = Events.payload(event, InferenceFailed.class);
                status.inferenceFailed(failed.requestId(), String.valueOf(failed.reason()));
            }
            default -> {
                if (type.family() == EventFamily.TASK_STATUS) {
                    taskEvents.add(new TaskEvent(tenant, type, Events.payload(event, type.payloadType()), message.getPublishTime()));
                }
            }
        }
    }

    private static List<String> problems(CloudEvent rejection) {
        return Events.payload(rejection, Rejection.class).problems().stream().map(Problem::message).toList();
    }

    /** A row of a command state table: the command's state as the commands function last wrote it (a tombstone says nothing). */
    private void commandState(Message<byte[]> message) {
        if (message.getData() == null || message.getData().length == 0) {
            return;
        }
        CommandRecord record = EventJson.read(message.getData(), CommandRecord.class);
        status.commands().state(record.commandId(), record.state(), message.getPublishTime());
    }

    private void deadLetter(Message<byte[]> message) {
        String reason;
        try {
            Object data = PulsarMessageFactory.createReader(message).toEvent().getExtension(Extensions.ERROR_DATA);
            reason = data == null ? null : data.toString();
        } catch (RuntimeException e) {
            reason = message.getProperty("dead-letter-reason");
        }
        status.deadLetter(reason);
    }

    @Override
    public void close() {
        // the readers stop first, so nothing reads from a closed consumer
        running = false;
        for (Thread reader : readers) {
            try {
                reader.join(POLL.toMillis() * 10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        CompletableFuture.allOf(events.closeAsync(), deadLetters.closeAsync(), commandStates.closeAsync())
                .completeOnTimeout(null, 5, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }
}
