package io.autoglm.fleet.functions.router;

import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.Extensions;
import io.autoglm.fleet.events.command.CommandAction;
import io.autoglm.fleet.events.command.CommandBatchRequested;
import io.autoglm.fleet.events.command.CommandDispatched;
import io.autoglm.fleet.events.command.CommandRequested;
import io.autoglm.fleet.events.command.Delivery;
import io.autoglm.fleet.events.command.Requirements;
import io.autoglm.fleet.events.command.RoutingStrategy;
import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.events.device.DeviceCapabilities;
import io.autoglm.fleet.events.device.DeviceRecord;
import io.autoglm.fleet.events.device.DeviceStatusChanged;
import io.autoglm.fleet.events.device.LivenessStatus;
import io.autoglm.fleet.events.device.Platform;
import io.autoglm.fleet.events.fixtures.HttpForms;
import io.autoglm.fleet.events.fixtures.SamplePayloads;
import io.autoglm.fleet.events.inference.InferenceRequested;
import io.autoglm.fleet.events.validation.EventValidator;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.data.BytesCloudEventData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
class RouterFunctionTest {

    private static final URI SOURCE = URI.create("/schedulers/test");

    private String acme;
    private String globex;

    @BeforeEach
    void twoTenants() {
        acme = "acme-" + UUID.randomUUID().toString().substring(0, 8);
        globex = "globex-" + UUID.randomUUID().toString().substring(0, 8);
        for (int d = 0; d < 5; d++) {
            device(acme, acme + "-phone-" + d, LivenessStatus.ONLINE, Map.of("fleet", "qa"));
            device(globex, globex + "-phone-" + d, LivenessStatus.ONLINE, Map.of("fleet", "qa"));
        }
        device(acme, acme + "-asleep", LivenessStatus.OFFLINE, Map.of("fleet", "qa"));
        TestFleet.BATCHES.clear();
        TestFleet.DELIVERED.clear();
        TestFleet.PUBLISHED.clear();
    }

    @Test
    void aCommandIsDispatchedToAnOnlineDeviceOfItsTenantAndTheReplyIsTheDelivery() {
        Response response = postBinary(command(acme, launch("c1", null, Delivery.UNICAST)));

        response.then().statusCode(200)
                .header("ce-type", EventType.COMMAND_DISPATCHED.type())
                .header("ce-tenant", acme)
                .body("commandId", equalTo("c1"))
                .body("tenant", equalTo(acme))
                .body("placement", equalTo("DEVICE"))
                .body("reason", startsWith("LOAD_BALANCE score"));
        String deviceId = response.jsonPath().getString("deviceId");
        assertThat(deviceId).startsWith(acme + "-phone-");
        assertThat(response.header("ce-partitionkey")).isEqualTo(deviceId);
        assertThat(EventValidator.standard().validateData(EventType.COMMAND_DISPATCHED, EventJson.tree(response.asByteArray()))).isEmpty();
        assertThat(response.jsonPath().getString("expiresAt")).isNotNull();
    }

    @Test
    void aCommandDeliveredAgainGetsTheSameDeviceNotASecondDecision() {
        CloudEvent request = command(acme, launch("c-again", null, Delivery.UNICAST));
        String first = postBinary(request).jsonPath().getString("deviceId");

        for (int i = 0; i < 20; i++) { // five devices by power of two choices: a second decision would differ
            postBinary(request).then().statusCode(200)
                    .header("ce-type", EventType.COMMAND_DISPATCHED.type())
                    .header("ce-partitionkey", first)
                    .body("deviceId", equalTo(first));
        }
    }

    @Test
    void aBatchDeliveredAgainIsAnsweredAsBeforeAndNotWrittenTwice() {
        CloudEvent request = batch(acme, new CommandBatchRequested("b-again", List.of(launch("c1", null, null), launch("c2", null, null))));
        List<String> first = postBinary(request).jsonPath().getList("commands.deviceId");

        postBinary(request).then().statusCode(200)
                .header("ce-type", EventType.COMMAND_BATCH_DISPATCHED.type())
                .body("commands.deviceId", equalTo(first));

        assertThat(TestFleet.BATCHES).hasSize(1);
    }

    @Test
    void aRejectedCommandIsDecidedAgainWhenItComesAgain() {
        CommandRequested pinned = launch("c-asleep", acme + "-asleep", Delivery.UNICAST);
        postBinary(command(acme, pinned)).then().statusCode(200).header("ce-type", EventType.COMMAND_REJECTED.type());
        device(acme, acme + "-asleep", LivenessStatus.ONLINE, Map.of("fleet", "qa"));

        postBinary(command(acme, pinned)).then().statusCode(200)
                .header("ce-type", EventType.COMMAND_DISPATCHED.type())
                .body("deviceId", equalTo(acme + "-asleep"));
    }

    @Test
    void aStructuredCommandGetsAStructuredReply() {
        given().contentType("application/cloudevents+json")
                .body(HttpForms.structuredBody(command(acme, launch("c1", null, Delivery.UNICAST))))
                .post("/")
                .then().statusCode(200)
                .contentType("application/cloudevents+json")
                .body("type", equalTo(EventType.COMMAND_DISPATCHED.type()))
                .body("data.commandId", equalTo("c1"));
    }

    @Test
    void routingNeverCrossesTenants() {
        for (int i = 0; i < 50; i++) {
            postBinary(command(acme, launch("c" + i, null, Delivery.UNICAST))).then().statusCode(200)
                    .body("deviceId", startsWith(acme + "-"));
        }
        postBinary(command(acme, launch("c-foreign", globex + "-phone-0", Delivery.UNICAST))).then().statusCode(200)
                .header("ce-type", EventType.COMMAND_REJECTED.type())
                .body("subject", equalTo("c-foreign"))
                .body("problems[0].message", equalTo("device " + globex + "-phone-0 is not registered in tenant " + acme));
    }

    @Test
    void theExecutionTimeoutOfTheRequestTravelsWithTheDispatch() {
        CommandRequested timed = new CommandRequested("c-timed", null, Delivery.UNICAST, RoutingStrategy.LOAD_BALANCE,
                new Requirements(List.of(Platform.ANDROID), Map.of("fleet", "qa"), null, false, null, null),
                new CommandAction(AgentAction.LAUNCH, Map.of("app", "Settings")), 30_000L, 5_000L);

        postBinary(command(acme, timed)).then().statusCode(200)
                .header("ce-type", EventType.COMMAND_DISPATCHED.type())
                .body("timeoutMs", equalTo(5000));
    }

    @Test
    void aCommandNoDeviceCanTakeIsRejectedWithTheReason() {
        CommandRequested ios = new CommandRequested("c1", null, null, RoutingStrategy.LOAD_BALANCE,
                new Requirements(List.of(Platform.IOS), null, null, false, null, null), new CommandAction(AgentAction.TAP, null), null);

        postBinary(command(acme, ios)).then().statusCode(200)
                .header("ce-type", EventType.COMMAND_REJECTED.type())
                .body("requestType", equalTo(EventType.COMMAND_REQUESTED.type()))
                .body("problems[0].location", equalTo("data.requirements"))
                .body("problems[0].message", equalTo("no ONLINE device of tenant " + acme + " has platform [IOS], actions 'Tap' (6 registered, 5 ONLINE)"));
    }

    @Test
    void aBroadcastGoesToEveryMatchingOnlineDeviceInOneTransaction() {
        postBinary(command(acme, launch("c1", null, Delivery.BROADCAST))).then().statusCode(200)
                .header("ce-type", EventType.COMMAND_BATCH_DISPATCHED.type())
                .body("batchId", equalTo("c1"))
                .body("commands.size()", equalTo(5));

        assertThat(TestFleet.BATCHES).hasSize(1);
        List<CloudEvent> delivered = TestFleet.BATCHES.get(0);
        assertThat(delivered).extracting(Events::partitionKey).allMatch(id -> id.startsWith(acme + "-phone-")).doesNotHaveDuplicates().hasSize(5);
        assertThat(delivered).allSatisfy(event -> {
            assertThat(event.getType()).isEqualTo(EventType.COMMAND_DISPATCHED.type());
            assertThat(Events.tenant(event)).isEqualTo(acme);
            assertThat(EventValidator.standard().validate(event).isValid()).isTrue();
            CommandDispatched member = EventJson.read(event.getData().toBytes(), CommandDispatched.class);
            assertThat(member.batchId()).as("a member of the broadcast's batch").isEqualTo("c1");
            assertThat(member.commandId()).as("each device's copy has its own id").isEqualTo("c1@" + member.deviceId());
        });
    }

    @Test
    void aBatchIsDeliveredInOneTransactionOrRejectedWholeWithNothingDelivered() {
        CommandBatchRequested good = new CommandBatchRequested("b1", List.of(launch("c1", acme + "-phone-1", null), launch("c2", null, null)));
        CommandBatchRequested bad = new CommandBatchRequested("b2", List.of(launch("c1", acme + "-phone-1", null),
                launch("c2", acme + "-asleep", null), launch("c3", globex + "-phone-1", null)));

        postBinary(batch(acme, good)).then().statusCode(200)
                .header("ce-type", EventType.COMMAND_BATCH_DISPATCHED.type())
                .body("commands.commandId", org.hamcrest.Matchers.contains("c1", "c2"))
                .body("commands[0].batchId", equalTo("b1"));
        postBinary(batch(acme, bad)).then().statusCode(200)
                .header("ce-type", EventType.COMMAND_BATCH_REJECTED.type())
                .body("subject", equalTo("b2"))
                .body("problems.location", org.hamcrest.Matchers.contains("data.commands[1].deviceId", "data.commands[2].deviceId"));

        assertThat(TestFleet.BATCHES).hasSize(1);
        assertThat(TestFleet.BATCHES.get(0)).extracting(event -> Events.payload(event, CommandDispatched.class).commandId())
                .containsExactly("c1", "c2");
    }

    @Test
    void aBrokerFailureDuringABatchIsOurFaultNotTheCallers() {
        TestFleet.BROKER_DOWN.set(true);

        postBinary(batch(acme, new CommandBatchRequested("b1", List.of(launch("c1", null, null))))).then().statusCode(500)
                .contentType("application/problem+json")
                .body("detail", startsWith("the function failed; retry later"));
        assertThat(TestFleet.BATCHES).isEmpty();
    }

    @Test
    void inferenceNoDeviceServesGoesToTheCloudTierWithAPlacement() {
        CloudEvent request = Events.newEvent(EventType.INFERENCE_REQUESTED, SOURCE, acme, acme + "-phone-0",
                new InferenceRequested("i1", "all-minilm-l6-v2@stable", List.of("hello"), null, null, null)).withId("inf-1").build();

        postBinary(request).then().statusCode(200)
                .header("ce-type", EventType.INFERENCE_DISPATCHED.type())
                .body("requestId", equalTo("i1"))
                .body("placement", equalTo("CLOUD"))
                .body("strategy", equalTo("COST_FIRST"));

        assertThat(TestFleet.PUBLISHED).hasSize(1);
        CloudEvent placed = TestFleet.PUBLISHED.get(0);
        assertThat(placed.getType()).isEqualTo(EventType.INFERENCE_REQUESTED.type());
        assertThat(placed.getId()).isEqualTo("inf-1");
        assertThat(placed.getExtension(Extensions.PLACEMENT)).isEqualTo("cloud");
        assertThat(Events.tenant(placed)).isEqualTo(acme);
    }

    @Test
    void anAgentStepNoDeviceServesGoesToTheCloudTierWhole() {
        InferenceRequested step = io.autoglm.fleet.events.fixtures.SamplePayloads.agentStepRequested();
        CloudEvent request = Events.newEvent(EventType.INFERENCE_REQUESTED, SOURCE, acme, acme + "-phone-0", step).withId("inf-agent").build();

        postBinary(request).then().statusCode(200)
                .header("ce-type", EventType.INFERENCE_DISPATCHED.type())
                .body("placement", equalTo("CLOUD"));

        assertThat(TestFleet.PUBLISHED).hasSize(1);
        assertThat(Events.payload(TestFleet.PUBLISHED.get(0), InferenceRequested.class)).as("the step, screenshot and history untouched")
                .isEqualTo(step);
    }

    @Test
    void inferenceTheAskingDeviceServesStaysOnItsCommandTopic() {
        String phone = acme + "-edge-model";
        DeviceRecord sample = SamplePayloads.record();
        DeviceCapabilities c = sample.capabilities();
        TestFleet.REGISTRY.tableOf(acme).put(phone, new DeviceRecord(phone, acme, 1, new DeviceCapabilities(c.platform(), c.tier(), c.hardware(),
                c.network(), c.location(), c.labels(), c.agentVersion(), c.supportedActions(), List.of("all-minilm-l6-v2")),
                sample.fingerprintDigest(), sample.registeredAt(), sample.updatedAt()));
        TestFleet.LIVENESS.tableOf(acme).put(phone, status(acme, phone, LivenessStatus.ONLINE));
        CloudEvent request = Events.newEvent(EventType.INFERENCE_REQUESTED, SOURCE, acme, phone,
                new InferenceRequested("i2", "all-minilm-l6-v2@stable", List.of("hello"), null, null, null)).build();

        postBinary(request).then().statusCode(200)
                .body("placement", equalTo("DEVICE"))
                .body("deviceId", equalTo(phone));
        assertThat(TestFleet.DELIVERED).singleElement().satisfies(event -> {
            assertThat(event.getExtension(Extensions.PLACEMENT)).isEqualTo("device");
            assertThat(Events.partitionKey(event)).isEqualTo(phone);
        });
    }

    @Test
    void anInferenceAlreadyPlacedIsNotTheRoutersToPlace() {
        CloudEvent placed = CloudEventBuilder.v1(Events.newEvent(EventType.INFERENCE_REQUESTED, SOURCE, acme, null,
                new InferenceRequested("i3", "all-minilm-l6-v2", List.of("x"), null, null, null)).build())
                .withExtension(Extensions.PLACEMENT, "cloud").build();

        postBinary(placed).then().statusCode(204);
        assertThat(TestFleet.PUBLISHED).isEmpty();
    }

    @Test
    void malformedJsonIsA400ProblemNotA500() {
        CloudEvent broken = CloudEventBuilder.v1(command(acme, launch("c1", null, null)))
                .withData("application/json", BytesCloudEventData.wrap("{\"commandId\": ".getBytes()))
                .build();

        postBinary(broken).then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", startsWith("data is not valid JSON"));
    }

    @Test
    void aCommandBreakingTheSchemaIsA400NamingTheField() {
        String json = new String(EventJson.write(launch("c1", null, null))).replace("\"ttlMs\":30000", "\"ttlMs\":0");
        CloudEvent invalid = CloudEventBuilder.v1(command(acme, launch("c1", null, null)))
                .withData("application/json", BytesCloudEventData.wrap(json.getBytes()))
                .build();

        postBinary(invalid).then().statusCode(400)
                .contentType("application/problem+json")
                .body("problems.location", hasItem("data.ttlMs"));
    }

    @Test
    void metricsCountDecisionsByKindStrategyAndOutcomeAndTimeThem() {
        CloudEvent routed = command(acme, launch("c-metered", null, Delivery.UNICAST));
        postBinary(routed).then().statusCode(200).header("ce-type", EventType.COMMAND_DISPATCHED.type());
        postBinary(routed).then().statusCode(200).header("ce-type", EventType.COMMAND_DISPATCHED.type()); // delivered again
        postBinary(command(acme, launch("c-asleep", acme + "-asleep", Delivery.UNICAST))).then().statusCode(200)
                .header("ce-type", EventType.COMMAND_REJECTED.type());
        postBinary(batch(acme, new CommandBatchRequested("b-metered", List.of(launch("m1", null, null), launch("m2", null, null)))))
                .then().statusCode(200).header("ce-type", EventType.COMMAND_BATCH_DISPATCHED.type());

        String tenant = ",tenant=\"" + acme + "\"}";
        assertThat(given().get("/q/metrics").then().statusCode(200).extract().asString())
                .contains("autoglm_router_decisions_total{kind=\"command\",outcome=\"routed\",strategy=\"load_balance\"" + tenant + " 1.0")
                .contains("autoglm_router_decisions_total{kind=\"command\",outcome=\"refused\",strategy=\"load_balance\"" + tenant + " 1.0")
                .contains("autoglm_router_decisions_total{kind=\"batch\",outcome=\"routed\",strategy=\"load_balance\"" + tenant + " 2.0")
                .contains("autoglm_router_recalled_total{tenant=\"" + acme + "\"} 1.0")
                .contains("autoglm_router_decision_seconds_count{kind=\"command\"" + tenant + " 2.0")
                .contains("autoglm_router_decision_seconds_count{kind=\"batch\"" + tenant + " 1.0");
    }

    private static void device(String tenant, String deviceId, LivenessStatus status, Map<String, String> labels) {
        DeviceRecord sample = SamplePayloads.record();
        DeviceCapabilities c = sample.capabilities();
        TestFleet.REGISTRY.tableOf(tenant).put(deviceId, new DeviceRecord(deviceId, tenant, 1, new DeviceCapabilities(c.platform(), c.tier(),
                c.hardware(), c.network(), c.location(), labels, c.agentVersion(), c.supportedActions(), List.of()),
                sample.fingerprintDigest(), sample.registeredAt(), sample.updatedAt()));
        TestFleet.LIVENESS.tableOf(tenant).put(deviceId, status(tenant, deviceId, status));
    }

    private static DeviceStatusChanged status(String tenant, String deviceId, LivenessStatus status) {
        return new DeviceStatusChanged(deviceId, tenant, null, status, "test", 1, Instant.EPOCH, Instant.EPOCH);
    }

    private static CommandRequested launch(String commandId, String deviceId, Delivery delivery) {
        return new CommandRequested(commandId, deviceId, delivery, RoutingStrategy.LOAD_BALANCE,
                new Requirements(List.of(Platform.ANDROID), Map.of("fleet", "qa"), null, false, null, null),
                new CommandAction(AgentAction.LAUNCH, Map.of("app", "Settings")), 30_000L);
    }

    private static CloudEvent command(String tenant, CommandRequested command) {
        return Events.newEvent(EventType.COMMAND_REQUESTED, SOURCE, tenant, null, command).build();
    }

    private static CloudEvent batch(String tenant, CommandBatchRequested batch) {
        return Events.newEvent(EventType.COMMAND_BATCH_REQUESTED, SOURCE, tenant, null, batch).build();
    }

    private static Response postBinary(CloudEvent event) {
        return given().headers(HttpForms.binaryHeaders(event)).body(HttpForms.binaryBody(event)).post("/");
    }
}
