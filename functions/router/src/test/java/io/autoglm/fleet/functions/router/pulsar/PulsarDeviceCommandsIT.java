package io.autoglm.fleet.functions.router.pulsar;

import io.autoglm.fleet.events.EventFamily;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.command.CommandAction;
import io.autoglm.fleet.events.command.CommandDispatched;
import io.autoglm.fleet.events.command.Placement;
import io.autoglm.fleet.events.command.RoutingStrategy;
import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.events.pulsar.PulsarMessageFactory;
import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.events.testing.PulsarEndpoints;
import io.autoglm.fleet.events.testing.RealPulsarExtension;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** All-or-nothing batches on the real broker: one transaction across the device command topic. */
@ExtendWith(RealPulsarExtension.class)
class PulsarDeviceCommandsIT {

    private final Topics topics = new Topics(Topics.DEFAULT_NAMESPACE);
    private final String tenant = "it-" + UUID.randomUUID().toString().substring(0, 8);
    private PulsarClient client;
    private PulsarDeviceCommands commands;
    private Consumer<byte[]> device;

    @BeforeEach
    void connect(PulsarEndpoints endpoints) throws Exception {
        client = endpoints.clientBuilder().enableTransaction(true).build();
        commands = new PulsarDeviceCommands(client, topics, Duration.ofSeconds(30));
        device = client.newConsumer(Schema.BYTES).topic(topics.events(tenant, EventFamily.DEVICE_COMMAND))
                .subscriptionName("devices").subscriptionType(SubscriptionType.Key_Shared)
                .subscriptionInitialPosition(SubscriptionInitialPosition.Earliest).subscribe();
    }

    @AfterEach
    void close() throws Exception {
        device.close();
        commands.close();
        client.close();
    }

    @Test
    void aCommittedBatchReachesEveryDeviceKeyedByItsId() throws Exception {
        commands.deliverAll(tenant, List.of(command("b1", "c1", "d-1", "x"), command("b1", "c2", "d-2", "x"))).join();

        List<Message<byte[]>> received = receiveAll(Duration.ofSeconds(10), 2);
        assertThat(received).extracting(Message::getKey).containsExactlyInAnyOrder("d-1", "d-2");
        assertThat(received).extracting(m -> Events.payload(PulsarMessageFactory.createReader(m).toEvent(), CommandDispatched.class).commandId())
                .containsExactlyInAnyOrder("c1", "c2");
    }

    @Test
    void whenOneMessageOfABatchFailsTheTransactionIsAbortedAndNoCommandIsEverVisible() throws Exception {
        // the third command is larger than the broker's 5 MB message limit: its send fails after the first two were accepted
        List<CloudEvent> batch = List.of(command("b-aborted", "c1", "d-1", "x"), command("b-aborted", "c2", "d-2", "x"),
                command("b-aborted", "c3", "d-3", "x".repeat(6 * 1024 * 1024)));

        assertThatThrownBy(() -> commands.deliverAll(tenant, batch).join()).isInstanceOf(CompletionException.class);
        commands.deliverAll(tenant, List.of(command("b-next", "c4", "d-1", "x"))).join();

        List<Message<byte[]>> received = receiveAll(Duration.ofSeconds(5), 10);
        assertThat(received).as("only the next batch's command; none of the aborted one")
                .extracting(m -> Events.payload(PulsarMessageFactory.createReader(m).toEvent(), CommandDispatched.class).batchId())
                .containsExactly("b-next");
    }

    private List<Message<byte[]>> receiveAll(Duration quiet, int atMost) throws Exception {
        List<Message<byte[]>> received = new ArrayList<>();
        Message<byte[]> message;
        while (received.size() < atMost && (message = device.receive((int) quiet.toMillis(), TimeUnit.MILLISECONDS)) != null) {
            received.add(message);
            device.acknowledge(message);
        }
        return received;
    }

    private CloudEvent command(String batchId, String commandId, String deviceId, String text) {
        CommandDispatched dispatched = new CommandDispatched(commandId, batchId, deviceId, tenant, Placement.DEVICE,
                new CommandAction(AgentAction.TYPE, Map.of("text", text)), RoutingStrategy.LOAD_BALANCE, "test", Instant.now(), null);
        return Events.newEvent(EventType.COMMAND_DISPATCHED, URI.create("/it"), tenant, deviceId, dispatched).build();
    }
}
