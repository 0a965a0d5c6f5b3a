package io.autoglm.fleet.functions.commands;

import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.command.CommandAccepted;
import io.autoglm.fleet.events.command.CommandAction;
import io.autoglm.fleet.events.command.CommandBatchCompleted;
import io.autoglm.fleet.events.command.CommandBatchDispatched;
import io.autoglm.fleet.events.command.CommandCancelRequested;
import io.autoglm.fleet.events.command.CommandCompleted;
import io.autoglm.fleet.events.command.CommandDeadline;
import io.autoglm.fleet.events.command.CommandDelivered;
import io.autoglm.fleet.events.command.CommandDispatched;
import io.autoglm.fleet.events.command.CommandFailed;
import io.autoglm.fleet.events.command.CommandFailureReason;
import io.autoglm.fleet.events.command.CommandRecord;
import io.autoglm.fleet.events.command.CommandState;
import io.autoglm.fleet.events.command.DeadlineKind;
import io.autoglm.fleet.events.command.Placement;
import io.autoglm.fleet.events.command.RoutingStrategy;
import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.events.device.DevicePresence;
import io.autoglm.fleet.events.fixtures.HttpForms;
import io.autoglm.fleet.events.validation.EventValidator;
import io.autoglm.fleet.triggers.testing.TestTokens;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.data.BytesCloudEventData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
@QuarkusTestResource(TestState.Keys.class)
class CommandsFunctionTest {

    private static final URI SOURCE = URI.create("/test");
    private static final EventValidator VALIDATOR = EventValidator.standard();
    /** A tenant of its own per test. */
    private String tenant;
    private String device;

    @BeforeEach
    void freshTenant() {
        tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        device = "d-" + tenant;
        TestState.PUBLISHED.clear();
    }

    private CommandDispatched dispatch(String commandId, String batchId, Instant expiresAt) {
        return new CommandDispatched(commandId, batchId, device, tenant, Placement.DEVICE, new CommandAction(AgentAction.LAUNCH, Map.of("app", "Settings")),
                RoutingStrategy.LOAD_BALANCE, "the only device", TestState.CLOCK.instant(), expiresAt, 5_000L);
    }

    private CloudEvent event(EventType type, Object payload) {
        return Events.newEvent(type, SOURCE, tenant, device, payload).build();
    }

    private static Response post(CloudEvent event) {
        return given().headers(HttpForms.binaryHeaders(event)).body(HttpForms.binaryBody(event)).post("/");
    }

    private CommandRecord record(String commandId) {
        return TestState.COMMANDS.tableOf(tenant).get(commandId).orElseThrow();
    }

    private void dispatched(String commandId) {
        post(event(EventType.COMMAND_DISPATCHED, dispatch(commandId, null, TestState.CLOCK.instant().plusSeconds(30)))).then().statusCode(204);
    }

    @Test
    void aDispatchIsQueuedInTheTableAndItsDeliveryDeadlineScheduledAsADelayedMessage() {
        Instant expires = TestState.CLOCK.instant().plusSeconds(30);
        post(event(EventType.COMMAND_DISPATCHED, dispatch("c1", null, expires))).then().statusCode(204);

        assertThat(record("c1").state()).isEqualTo(CommandState.QUEUED);
        assertThat(TestState.PUBLISHED.scheduled).singleElement().satisfies(timer -> {
            assertThat(timer.getValue()).isEqualTo(expires);
            CloudEvent deadline = timer.getKey();
            assertThat(deadline.getType()).isEqualTo(EventType.COMMAND_DEADLINE.type());
            assertThat(Events.partitionKey(deadline)).isEqualTo(device);
            assertThat(Events.tenant(deadline)).isEqualTo(tenant);
            assertThat(VALIDATOR.validate(deadline).isValid()).isTrue();
            assertThat(Events.payload(deadline, CommandDeadline.class)).isEqualTo(new CommandDeadline("c1", device, DeadlineKind.DELIVERY, expires));
        });
    }

    @Test
    void dispatchedDeliveredAcceptedCompletedEndsSucceededAndTheQueryShowsItsHistory() {
        dispatched("c1");
        post(event(EventType.COMMAND_DELIVERED, new CommandDelivered("c1", device, "gateway-0", 1, TestState.CLOCK.instant()))).then().statusCode(204);
        post(event(EventType.COMMAND_ACCEPTED, new CommandAccepted("c1", device, TestState.CLOCK.instant()))).then().statusCode(204);
        assertThat(TestState.PUBLISHED.scheduled).extracting(timer -> Events.payload(timer.getKey(), CommandDeadline.class).kind())
                .containsExactly(DeadlineKind.DELIVERY, DeadlineKind.EXECUTION);
        CloudEvent completed = event(EventType.COMMAND_COMPLETED, new CommandCompleted("c1", device, "opened", null, null));
        post(completed).then().statusCode(204);
        post(completed).then().statusCode(204); // redelivered

        assertThat(record("c1").state()).isEqualTo(CommandState.SUCCEEDED);
        assertThat(record("c1").late()).as("a redelivered copy is not late").isZero();
        given().header("Authorization", "Bearer " + TestTokens.token(tenant)).get("/commands/c1")
                .then().statusCode(200)
                .contentType("application/json")
                .body("state", equalTo("SUCCEEDED"))
                .body("result.output", equalTo("opened"))
                .body("history.state", contains("QUEUED", "DELIVERED", "IN_PROGRESS", "SUCCEEDED"))
                .body("history[3].eventId", equalTo(completed.getId()));
    }

    @Test
    void aCancelIsAnsweredWithCommandCanceledForTheDevicesTopic() {
        dispatched("c1");

        Response response = post(event(EventType.COMMAND_CANCEL_REQUESTED, new CommandCancelRequested("c1", "operator stopped it")));

        response.then().statusCode(200)
                .header("ce-type", EventType.COMMAND_CANCELED.type())
                .header("ce-tenant", tenant)
                .header("ce-partitionkey", device)
                .body("state", equalTo("CANCELED"))
                .body("reason", equalTo("operator stopped it"));
        assertThat(VALIDATOR.validateData(EventType.COMMAND_CANCELED, EventJson.tree(response.asByteArray()))).isEmpty();
        assertThat(record("c1").state()).isEqualTo(CommandState.CANCELED);

        // the late completion is recorded, not applied
        post(event(EventType.COMMAND_COMPLETED, new CommandCompleted("c1", device, "too late", null, null))).then().statusCode(204);
        assertThat(record("c1").state()).isEqualTo(CommandState.CANCELED);
        assertThat(record("c1").late()).isEqualTo(1);
    }

    @Test
    void aCancelOfACommandNotKnownIsRejectedWithTheReason() {
        post(event(EventType.COMMAND_CANCEL_REQUESTED, new CommandCancelRequested("nope", null))).then().statusCode(200)
                .header("ce-type", EventType.COMMAND_CANCEL_REJECTED.type())
                .body("subject", equalTo("nope"))
                .body("problems[0].location", equalTo("data.commandId"))
                .body("problems[0].message", startsWith("no command nope in tenant " + tenant));
    }

    @Test
    void aDeliveryDeadlineExpiresAQueuedCommandAndItsCopyAnswersTheSame() {
        Instant expires = TestState.CLOCK.instant().plusSeconds(30);
        post(event(EventType.COMMAND_DISPATCHED, dispatch("c1", null, expires))).then().statusCode(204);
        CloudEvent deadline = TestState.PUBLISHED.scheduled.get(0).getKey();

        post(deadline).then().statusCode(200)
                .header("ce-type", EventType.COMMAND_EXPIRED.type())
                .body("state", equalTo("EXPIRED"));
        post(deadline).then().statusCode(200).header("ce-type", EventType.COMMAND_EXPIRED.type());

        assertThat(record("c1").state()).isEqualTo(CommandState.EXPIRED);
    }

    @Test
    void anExecutionDeadlineTimesOutAnAcceptedCommand() {
        dispatched("c1");
        post(event(EventType.COMMAND_ACCEPTED, new CommandAccepted("c1", device, TestState.CLOCK.instant()))).then().statusCode(204);
        CloudEvent deadline = TestState.PUBLISHED.scheduled.get(1).getKey();

        post(deadline).then().statusCode(200).header("ce-type", EventType.COMMAND_TIMED_OUT.type())
                .body("reason", equalTo("accepted at " + TestState.CLOCK.instant() + ", no result within 5000 ms"));
    }

    @Test
    void aDeviceReportingOnAnotherDevicesCommandIsA400ThatSaysWhy() {
        dispatched("c1");
        CloudEvent foreign = Events.newEvent(EventType.COMMAND_FAILED, SOURCE, tenant, "d-other",
                new CommandFailed("c1", "d-other", CommandFailureReason.EXECUTION_ERROR, "boom", null)).build();

        post(foreign).then().statusCode(400)
                .contentType("application/problem+json")
                .body("problems[0].location", equalTo("data.deviceId"))
                .body("problems[0].message", equalTo("command c1 was dispatched to device " + device + "; device d-other cannot report on it"));
        assertThat(record("c1").state()).isEqualTo(CommandState.QUEUED);
    }

    @Test
    void malformedDataIsA400NotA500() {
        CloudEvent broken = CloudEventBuilder.v1(event(EventType.COMMAND_ACCEPTED, new CommandAccepted("c1", device, null)))
                .withData("application/json", BytesCloudEventData.wrap("{\"commandId\": ".getBytes())).build();
        post(broken).then().statusCode(400).contentType("application/problem+json").body("detail", startsWith("data is not valid JSON"));
    }

    @Test
    void aResultBeforeItsDispatchIsKeptAsAnOrphanAndTheDispatchFillsItIn() {
        post(event(EventType.COMMAND_ACCEPTED, new CommandAccepted("c1", device, TestState.CLOCK.instant()))).then().statusCode(204);
        assertThat(record("c1").orphan()).isTrue();

        dispatched("c1");

        assertThat(record("c1").orphan()).isFalse();
        assertThat(record("c1").state()).isEqualTo(CommandState.IN_PROGRESS);
    }

    @Test
    void aDeviceThatConnectsGetsItsPendingCommandsAgainInDispatchOrder() {
        dispatched("c1");
        dispatched("c2");
        dispatched("c3");
        post(event(EventType.COMMAND_ACCEPTED, new CommandAccepted("c2", device, TestState.CLOCK.instant()))).then().statusCode(204);
        TestState.PUBLISHED.clear();

        post(event(EventType.DEVICE_CONNECTED, new DevicePresence(device, "gateway-1", "conn-1", TestState.CLOCK.instant(), null)))
                .then().statusCode(204);

        assertThat(TestState.PUBLISHED.published).extracting(CloudEvent::getType).containsOnly(EventType.COMMAND_DISPATCHED.type());
        assertThat(TestState.PUBLISHED.published).extracting(e -> Events.payload(e, CommandDispatched.class).commandId()).containsExactly("c1", "c3");
        assertThat(Events.payload(TestState.PUBLISHED.published.get(0), CommandDispatched.class)).as("unchanged")
                .isEqualTo(record("c1").dispatch());
        assertThat(TestState.PUBLISHED.published).allSatisfy(e -> {
            assertThat(Events.partitionKey(e)).isEqualTo(device);
            assertThat(VALIDATOR.validate(e).isValid()).isTrue();
        });

        // coming back, they change nothing
        TestState.PUBLISHED.published.forEach(again -> post(again).then().statusCode(204));
        assertThat(record("c1").history()).hasSize(1);
    }

    @Test
    void aDispatchHeardOnlyAfterItsDeviceConnectedIsSentAgainForTheDeviceMayHaveMissedIt() {
        // the device connected to a replica that had already read (and passed over) the command: the re-dispatch on
        // device.connected came before the command had a record
        post(event(EventType.DEVICE_CONNECTED, new DevicePresence(device, "gateway-1", "conn-1", TestState.CLOCK.instant(), null)))
                .then().statusCode(204);
        assertThat(TestState.PUBLISHED.published).isEmpty();

        dispatched("c1");

        assertThat(record("c1").state()).isEqualTo(CommandState.QUEUED);
        assertThat(TestState.PUBLISHED.published).singleElement().satisfies(again -> {
            assertThat(again.getType()).isEqualTo(EventType.COMMAND_DISPATCHED.type());
            assertThat(Events.payload(again, CommandDispatched.class)).as("unchanged").isEqualTo(record("c1").dispatch());
            assertThat(Events.partitionKey(again)).isEqualTo(device);
        });
        TestState.PUBLISHED.clear();
        post(event(EventType.COMMAND_DISPATCHED, record("c1").dispatch())).then().statusCode(204);
        assertThat(TestState.PUBLISHED.published).as("its copy coming back is not sent again").isEmpty();

        // a command dispatched long after the connection reached the device through the replica that holds it
        TestState.CLOCK.advance(Duration.ofMinutes(1));
        dispatched("c2");
        assertThat(TestState.PUBLISHED.published).isEmpty();
    }

    @Test
    void aBatchIsCompletedOnceEveryMemberEndedWithWhichFailed() {
        Instant expires = TestState.CLOCK.instant().plusSeconds(30);
        CommandBatchDispatched batch = new CommandBatchDispatched("b1", List.of(dispatch("m1", "b1", expires), dispatch("m2", "b1", expires)));
        post(Events.newEvent(EventType.COMMAND_BATCH_DISPATCHED, SOURCE, tenant, null, batch).build()).then().statusCode(204);
        assertThat(record("m1").batchSize()).isEqualTo(2);
        assertThat(record("m2").sequence()).isGreaterThan(record("m1").sequence());

        post(event(EventType.COMMAND_COMPLETED, new CommandCompleted("m1", device, null, null, null))).then().statusCode(204);
        assertThat(TestState.PUBLISHED.published).isEmpty();
        post(event(EventType.COMMAND_FAILED, new CommandFailed("m2", device, CommandFailureReason.INTERRUPTED, "stopped", null))).then().statusCode(204);

        assertThat(TestState.PUBLISHED.published).singleElement().satisfies(completed -> {
            assertThat(completed.getType()).isEqualTo(EventType.COMMAND_BATCH_COMPLETED.type());
            assertThat(VALIDATOR.validate(completed).isValid()).isTrue();
            CommandBatchCompleted outcome = Events.payload(completed, CommandBatchCompleted.class);
            assertThat(outcome.succeeded()).isFalse();
            assertThat(outcome.failed()).containsExactly("m2");
            assertThat(outcome.members()).isEqualTo(Map.of("m1", CommandState.SUCCEEDED, "m2", CommandState.FAILED));
        });
    }

    // --- the queries ---

    @Test
    void aDevicesCommandsByState() {
        dispatched("c1");
        dispatched("c2");
        post(event(EventType.COMMAND_ACCEPTED, new CommandAccepted("c2", device, TestState.CLOCK.instant()))).then().statusCode(204);
        String token = "Bearer " + TestTokens.token(tenant);

        given().header("Authorization", token).queryParam("state", "IN_PROGRESS").get("/devices/" + device + "/commands")
                .then().statusCode(200)
                .body("deviceId", equalTo(device))
                .body("commands.commandId", contains("c2"))
                .body("commands[0].history.state", contains("QUEUED", "IN_PROGRESS"));
        given().header("Authorization", token).get("/tenants/" + tenant + "/devices/" + device + "/commands")
                .then().statusCode(200).body("commands.commandId", contains("c1", "c2"));
        given().header("Authorization", token).queryParam("state", "queued,DONE").get("/devices/" + device + "/commands")
                .then().statusCode(400).contentType("application/problem+json")
                .body("problems[0].message", startsWith("'DONE' is not a command state"));
        given().header("Authorization", token).get("/devices/d-nobody/commands").then().statusCode(200).body("commands", hasSize(0));
    }

    @Test
    void queriesNeedATokenOfTheTenantAndAnUnknownCommandIsA404() {
        dispatched("c1");

        given().get("/commands/c1").then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", "Bearer " + TestTokens.expiredToken(tenant)).get("/commands/c1").then().statusCode(401)
                .body("detail", equalTo("the bearer token was refused (it has expired)"));
        given().header("Authorization", "Bearer " + TestTokens.token("globex")).get("/tenants/" + tenant + "/commands/c1")
                .then().statusCode(403).contentType("application/problem+json");
        given().header("Authorization", "Bearer " + TestTokens.token("globex")).get("/commands/c1")
                .then().statusCode(404); // another tenant's table has no such command
        given().header("Authorization", "Bearer " + TestTokens.token(tenant)).get("/tenants/" + tenant + "/commands/c1")
                .then().statusCode(200).body("commandId", equalTo("c1"));
        given().header("Authorization", "Bearer " + TestTokens.token(tenant)).get("/commands/nope")
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", equalTo("tenant " + tenant + " has no command nope"));
    }

    @Test
    void metricsCountTransitionsIntoEachStateAndInputsByVerdict() {
        double succeeded = scraped("autoglm_commands_transitions_total{state=\"succeeded\",terminal=\"true\"}");
        double queued = scraped("autoglm_commands_transitions_total{state=\"queued\",terminal=\"false\"}");
        double unchanged = scraped("autoglm_commands_inputs_total{verdict=\"unchanged\"}");

        dispatched("c1");
        post(event(EventType.COMMAND_ACCEPTED, new CommandAccepted("c1", device, TestState.CLOCK.instant()))).then().statusCode(204);
        CloudEvent completed = event(EventType.COMMAND_COMPLETED, new CommandCompleted("c1", device, "opened", null, null));
        post(completed).then().statusCode(204);
        post(completed).then().statusCode(204); // redelivered: nothing to do

        assertThat(scraped("autoglm_commands_transitions_total{state=\"queued\",terminal=\"false\"}")).isEqualTo(queued + 1);
        assertThat(scraped("autoglm_commands_transitions_total{state=\"succeeded\",terminal=\"true\"}")).isEqualTo(succeeded + 1);
        assertThat(scraped("autoglm_commands_inputs_total{verdict=\"unchanged\"}")).isEqualTo(unchanged + 1);
    }

    /** The value of one series at {@code /q/metrics} (0 before it appears). */
    private static double scraped(String series) {
        return given().get("/q/metrics").then().statusCode(200).extract().asString().lines().filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1))).findFirst().orElse(0);
    }

    @Test
    void readinessCountsWhatWasSeen() {
        dispatched("c1");
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks[0].name", equalTo("commands"));
    }

    @Test
    void theClockIsTheFunctions() {
        Instant before = TestState.CLOCK.instant();
        TestState.CLOCK.advance(Duration.ofSeconds(1));
        dispatched("c1");
        assertThat(record("c1").updatedAt()).isEqualTo(before.plusSeconds(1));
    }
}
