package io.autoglm.fleet.functions.commands.pulsar;

import io.autoglm.fleet.commands.CommandInput;
import io.autoglm.fleet.commands.CommandLifecycle;
import io.autoglm.fleet.events.EventFamily;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.command.CommandAccepted;
import io.autoglm.fleet.events.command.CommandAction;
import io.autoglm.fleet.events.command.CommandCancelRequested;
import io.autoglm.fleet.events.command.CommandCompleted;
import io.autoglm.fleet.events.command.CommandDeadline;
import io.autoglm.fleet.events.command.CommandDelivered;
import io.autoglm.fleet.events.command.CommandDispatched;
import io.autoglm.fleet.events.command.CommandEnded;
import io.autoglm.fleet.events.command.CommandRecord;
import io.autoglm.fleet.events.command.CommandState;
import io.autoglm.fleet.events.command.DeadlineKind;
import io.autoglm.fleet.events.command.Placement;
import io.autoglm.fleet.events.command.RoutingStrategy;
import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.events.device.DevicePresence;
import io.autoglm.fleet.events.pulsar.PulsarEventPublisher;
import io.autoglm.fleet.events.pulsar.PulsarMessageFactory;
import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.events.testing.RealPulsarExtension;
import io.autoglm.fleet.functions.commands.CommandService;
import io.autoglm.fleet.state.Reply;
import io.autoglm.fleet.state.StateTopic;
import io.autoglm.fleet.state.pulsar.PulsarStateTopic;
import io.cloudevents.CloudEvent;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.SubscriptionInitialPosition;
import org.apache.pulsar.client.api.SubscriptionType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command lifecycle on the real broker: the compacted command state table, the deadlines as real Pulsar delayed
 * messages (consumed here as the dispatcher would consume them and handed back to the service), and the re-dispatch on
 * the device's command topic.
 */
@ExtendWith(RealPulsarExtension.class)
class CommandLifecyclePulsarIT {

    private static final URI SOURCE = URI.create("/it");
    private final Topics topics = Topics.defaults();
    private final String tenant = "it-" + UUID.randomUUID().toString().substring(0, 8);
    private final String device = "d-" + tenant;
    private final Clock clock = Clock.systemUTC();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private PulsarClient client;
    private PulsarEventPublisher publisher;
    private StateTopic<CommandRecord> table;
    private CommandService service;

    @BeforeEach
    void start(PulsarClient client) {
        this.client = client;
        publisher = new PulsarEventPublisher(client, topics);
        service = newService();
    }

    /** A service as a fresh process has it: its own table reader and writer. */
    private CommandService newService() {
        table = PulsarStateTopic.commands(client, topics).writtenHere();
        closing.add(table::close);
        return new CommandService(new CommandLifecycle(Duration.ofMinutes(5), Duration.ofSeconds(60)), table, publisher, clock);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : closing) {
            closeable.close();
        }
        publisher.close();
    }

    private CommandDispatched dispatch(String commandId, Duration ttl, Long timeoutMs) {
        Instant now = clock.instant();
        return new CommandDispatched(commandId, null, device, tenant, Placement.DEVICE, new CommandAction(AgentAction.HOME, Map.of()),
                RoutingStrategy.LOAD_BALANCE, "it", now, ttl == null ? null : now.plus(ttl), timeoutMs);
    }

    private Reply apply(CommandInput input) throws Exception {
        return service.apply(tenant, input).get(30, TimeUnit.SECONDS);
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    /** What a fresh reader of the compacted topic sees: the record as it is in the log. */
    private CommandRecord inTheLog(String commandId) throws Exception {
        StateTopic<CommandRecord> reader = PulsarStateTopic.commands(client, topics);
        try {
            return reader.table(tenant).get(30, TimeUnit.SECONDS).getLatest(commandId).get(30, TimeUnit.SECONDS).orElseThrow();
        } finally {
            reader.close();
        }
    }

    private Consumer<byte[]> subscribe(EventFamily family) throws Exception {
        Consumer<byte[]> consumer = client.newConsumer(Schema.BYTES).topic(topics.events(tenant, family))
                .subscriptionName("it-" + family.topicName()).subscriptionType(SubscriptionType.Shared)
                .subscriptionInitialPosition(SubscriptionInitialPosition.Earliest).subscribe();
        closing.add(consumer);
        return consumer;
    }

    /** Deadlines as they come back, each handed to the service as the dispatcher would, until one of {@code kind}: its reply. */
    private Reply deliverDeadline(Consumer<byte[]> deadlines, DeadlineKind kind, Duration within) throws Exception {
        while (true) {
            Message<byte[]> message = deadlines.receive((int) within.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(message).as("a " + kind + " deadline within " + within).isNotNull();
            deadlines.acknowledge(message);
            CloudEvent event = PulsarMessageFactory.createReader(message).toEvent();
            CommandDeadline deadline = Events.payload(event, CommandDeadline.class);
            assertThat(clock.instant()).as("a delayed message comes back at its due time, not before").isAfterOrEqualTo(deadline.due().minusMillis(50));
            Reply reply = service.apply(tenant, new CommandInput.Deadline(event.getId(), deadline)).get(30, TimeUnit.SECONDS);
            if (deadline.kind() == kind) {
                return reply;
            }
        }
    }

    @Test
    void dispatchedAcceptedCompletedIsSucceededInTheCompactedTable() throws Exception {
        apply(new CommandInput.Dispatched(id(), dispatch("c1", Duration.ofMinutes(1), null)));
        apply(new CommandInput.Delivered(id(), new CommandDelivered("c1", device, "gateway-0", 1, clock.instant())));
        apply(new CommandInput.Accepted(id(), new CommandAccepted("c1", device, clock.instant())));
        apply(new CommandInput.Completed(id(), new CommandCompleted("c1", device, "home", null, null)));

        CommandRecord record = inTheLog("c1");
        assertThat(record.state()).isEqualTo(CommandState.SUCCEEDED);
        assertThat(record.result().output()).isEqualTo("home");
        assertThat(record.history()).extracting(t -> t.state()).containsExactly(CommandState.QUEUED, CommandState.DELIVERED,
                CommandState.IN_PROGRESS, CommandState.SUCCEEDED);
    }

    @Test
    void aCommandNeverDeliveredExpiresAfterItsTtlByARealDelayedMessage() throws Exception {
        Consumer<byte[]> deadlines = subscribe(EventFamily.COMMAND_DEADLINE);
        Instant dispatched = clock.instant();
        apply(new CommandInput.Dispatched(id(), dispatch("c-ttl", Duration.ofSeconds(2), null)));

        Reply expired = deliverDeadline(deadlines, DeadlineKind.DELIVERY, Duration.ofSeconds(20));

        assertThat(clock.instant()).isAfterOrEqualTo(dispatched.plusSeconds(2));
        assertThat(expired.type()).isEqualTo(EventType.COMMAND_EXPIRED);
        assertThat(((CommandEnded) expired.payload()).state()).isEqualTo(CommandState.EXPIRED);
        assertThat(inTheLog("c-ttl").state()).isEqualTo(CommandState.EXPIRED);
    }

    @Test
    void anAcceptedCommandWithoutResultTimesOut() throws Exception {
        Consumer<byte[]> deadlines = subscribe(EventFamily.COMMAND_DEADLINE);
        apply(new CommandInput.Dispatched(id(), dispatch("c-slow", Duration.ofMinutes(1), 2_000L)));
        Instant accepted = clock.instant();
        apply(new CommandInput.Accepted(id(), new CommandAccepted("c-slow", device, accepted)));

        Reply timedOut = deliverDeadline(deadlines, DeadlineKind.EXECUTION, Duration.ofSeconds(20));

        assertThat(clock.instant()).isAfterOrEqualTo(accepted.plusSeconds(2));
        assertThat(timedOut.type()).isEqualTo(EventType.COMMAND_TIMED_OUT);
        CommandRecord record = inTheLog("c-slow");
        assertThat(record.state()).isEqualTo(CommandState.TIMED_OUT);
        assertThat(record.detail()).endsWith("no result within 2000 ms");
    }

    @Test
    void aCancelWinsOverALateCompletion() throws Exception {
        apply(new CommandInput.Dispatched(id(), dispatch("c-cancel", Duration.ofMinutes(1), null)));
        apply(new CommandInput.Accepted(id(), new CommandAccepted("c-cancel", device, clock.instant())));

        Reply canceled = apply(new CommandInput.CancelRequested(id(), new CommandCancelRequested("c-cancel", "operator")));
        apply(new CommandInput.Completed(id(), new CommandCompleted("c-cancel", device, "too late", null, null)));

        assertThat(canceled.type()).isEqualTo(EventType.COMMAND_CANCELED);
        assertThat(canceled.partitionKey()).isEqualTo(device);
        CommandRecord record = inTheLog("c-cancel");
        assertThat(record.state()).isEqualTo(CommandState.CANCELED);
        assertThat(record.late()).isEqualTo(1);
        assertThat(record.result()).isNull();
    }

    @Test
    void aDeviceThatConnectsGetsItsPendingCommandsAgainInOrderAlsoFromAFreshProcess() throws Exception {
        for (String commandId : List.of("p1", "p2", "p3", "p4")) {
            apply(new CommandInput.Dispatched(id(), dispatch(commandId, Duration.ofMinutes(5), null)));
        }
        apply(new CommandInput.Delivered(id(), new CommandDelivered("p2", device, "gateway-0", 1, clock.instant())));
        apply(new CommandInput.Accepted(id(), new CommandAccepted("p3", device, clock.instant())));
        Consumer<byte[]> deviceTopic = subscribe(EventFamily.DEVICE_COMMAND);

        // another process: its index is built from the table
        service = newService();
        service.connected(tenant, new DevicePresence(device, "gateway-1", "conn-2", clock.instant(), null)).get(30, TimeUnit.SECONDS);

        List<String> received = new ArrayList<>();
        Message<byte[]> message;
        while ((message = deviceTopic.receive(5, TimeUnit.SECONDS)) != null) {
            CloudEvent event = PulsarMessageFactory.createReader(message).toEvent();
            assertThat(event.getType()).isEqualTo(EventType.COMMAND_DISPATCHED.type());
            assertThat(message.getKey()).isEqualTo(device);
            received.add(Events.payload(event, CommandDispatched.class).commandId());
            deviceTopic.acknowledge(message);
        }
        assertThat(received).as("QUEUED and DELIVERED ones, in dispatch order").containsExactly("p1", "p2", "p4");
        assertThat(Optional.of(inTheLog("p3").state())).contains(CommandState.IN_PROGRESS);
    }
}
