package io.autoglm.fleet.functions.commands;

import io.autoglm.fleet.events.EventFamily;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.command.CommandAccepted;
import io.autoglm.fleet.events.command.CommandAction;
import io.autoglm.fleet.events.command.CommandCompleted;
import io.autoglm.fleet.events.command.CommandDispatched;
import io.autoglm.fleet.events.command.CommandRecord;
import io.autoglm.fleet.events.command.CommandState;
import io.autoglm.fleet.events.command.Placement;
import io.autoglm.fleet.events.command.RoutingStrategy;
import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.events.device.DevicePresence;
import io.autoglm.fleet.events.fixtures.HttpForms;
import io.autoglm.fleet.events.pulsar.PulsarMessageFactory;
import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.events.testing.PulsarEndpoints;
import io.autoglm.fleet.events.testing.SharedPulsarBroker;
import io.autoglm.fleet.state.StateTopic;
import io.autoglm.fleet.state.pulsar.PulsarStateTopic;
import io.autoglm.fleet.triggers.testing.TestTokens;
import io.cloudevents.CloudEvent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.SubscriptionInitialPosition;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

/** The function as it is deployed, on the real broker: its own table, publisher and token check, no test doubles. */
@QuarkusTest
@TestProfile(CommandsFunctionIT.RealBroker.class)
@QuarkusTestResource(value = TestState.Keys.class, restrictToAnnotatedClass = true)
class CommandsFunctionIT {

    private static final URI SOURCE = URI.create("/it");
    private final String tenant = "it-" + UUID.randomUUID().toString().substring(0, 8);
    private final String device = "d-" + tenant;

    /** The shared broker, the in-memory doubles off. */
    public static class RealBroker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            PulsarEndpoints endpoints = SharedPulsarBroker.endpoints();
            return Map.of("commands-test.in-memory", "false",
                    "autoglm.pulsar.service-url", endpoints.serviceUrl());
        }
    }

    private void post(EventType type, Object payload, int status) {
        CloudEvent event = Events.newEvent(type, SOURCE, tenant, device, payload).build();
        given().headers(HttpForms.binaryHeaders(event)).body(HttpForms.binaryBody(event)).post("/").then().statusCode(status);
    }

    @Test
    void aCommandGoesThroughItsLifeIntoTheCompactedTableAndAReconnectingDeviceGetsWhatIsPending() throws Exception {
        Instant now = Instant.now();
        for (String commandId : new String[] {"c1", "c2"}) {
            post(EventType.COMMAND_DISPATCHED, new CommandDispatched(commandId, null, device, tenant, Placement.DEVICE,
                    new CommandAction(AgentAction.HOME, Map.of()), RoutingStrategy.LOAD_BALANCE, "it", now, now.plusSeconds(60), null), 204);
        }
        post(EventType.COMMAND_ACCEPTED, new CommandAccepted("c1", device, now), 204);
        post(EventType.COMMAND_COMPLETED, new CommandCompleted("c1", device, "home", null, null), 204);

        given().header("Authorization", "Bearer " + TestTokens.token(tenant)).get("/commands/c1").then().statusCode(200)
                .body("state", equalTo("SUCCEEDED"))
                .body("history.state", contains("QUEUED", "IN_PROGRESS", "SUCCEEDED"));

        try (PulsarClient client = SharedPulsarBroker.endpoints().clientBuilder().build()) {
            StateTopic<CommandRecord> reader = PulsarStateTopic.commands(client, Topics.defaults());
            CommandRecord inTheLog = reader.table(tenant).get(30, TimeUnit.SECONDS).getLatest("c1").get(30, TimeUnit.SECONDS).orElseThrow();
            assertThat(inTheLog.state()).isEqualTo(CommandState.SUCCEEDED);
            reader.close();

            Consumer<byte[]> deviceTopic = client.newConsumer(Schema.BYTES).topic(Topics.defaults().events(tenant, EventFamily.DEVICE_COMMAND))
                    .subscriptionName("it").subscriptionInitialPosition(SubscriptionInitialPosition.Earliest).subscribe();
            post(EventType.DEVICE_CONNECTED, new DevicePresence(device, "gateway-1", "conn-1", now, null), 204);
            Message<byte[]> resent = deviceTopic.receive(20, TimeUnit.SECONDS);
            assertThat(resent).as("c2 is still QUEUED").isNotNull();
            assertThat(Events.payload(PulsarMessageFactory.createReader(resent).toEvent(), CommandDispatched.class).commandId()).isEqualTo("c2");
            assertThat(deviceTopic.receive(2, TimeUnit.SECONDS)).as("c1 has ended").isNull();
            deviceTopic.close();
        }
    }
}
