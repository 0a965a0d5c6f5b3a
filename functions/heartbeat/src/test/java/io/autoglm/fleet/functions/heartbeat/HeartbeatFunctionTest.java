package io.autoglm.fleet.functions.heartbeat;

import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.device.DeviceHeartbeat;
import io.autoglm.fleet.events.device.DeviceLoad;
import io.autoglm.fleet.state.RegisteredDevice;
import io.autoglm.fleet.events.device.DeviceStatusChanged;
import io.autoglm.fleet.events.device.LivenessDeadline;
import io.autoglm.fleet.events.device.LivenessStatus;
import io.autoglm.fleet.events.fixtures.HttpForms;
import io.autoglm.fleet.events.fixtures.SamplePayloads;
import io.autoglm.fleet.events.validation.EventValidator;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.data.BytesCloudEventData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
class HeartbeatFunctionTest {

    private static final URI SOURCE = URI.create("/devices/agents/test");
    /** A tenant of its own per test: its devices' liveness does not depend on what other tests left behind. */
    private String tenant;
    private String deviceId;

    @BeforeEach
    void registerADevice() {
        tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        deviceId = "d-" + tenant + "-phone";
        TestState.REGISTRY.tableOf(tenant).put(deviceId, new RegisteredDevice(deviceId, tenant, 1));
        TestState.TIMERS.clear();
    }

    @Test
    void theFirstHeartbeatAnnouncesOnlineRecordsItAndSchedulesADeadline() {
        Response response = postBinary(heartbeat(deviceId, 1));

        response.then().statusCode(200)
                .header("ce-type", EventType.DEVICE_STATUS_CHANGED.type())
                .header("ce-tenant", tenant)
                .header("ce-partitionkey", deviceId)
                .body("current", equalTo("ONLINE"))
                .body("reason", equalTo("first heartbeat"))
                .body("lastHeartbeatSeq", equalTo(1));
        assertThat(EventValidator.standard().validateData(EventType.DEVICE_STATUS_CHANGED, EventJson.tree(response.asByteArray()))).isEmpty();
        assertThat(TestState.LIVENESS.tableOf(tenant).get(deviceId)).map(DeviceStatusChanged::current).contains(LivenessStatus.ONLINE);
        assertThat(TestState.TIMERS.scheduled).hasSize(1);
        CloudEvent timer = TestState.TIMERS.scheduled.get(0).getKey();
        assertThat(timer.getType()).isEqualTo(EventType.DEVICE_LIVENESS_DEADLINE.type());
        assertThat(Events.partitionKey(timer)).isEqualTo(deviceId);
        assertThat(EventValidator.standard().validate(timer).isValid()).isTrue();
        assertThat(TestState.TIMERS.scheduled.get(0).getValue()).isAfter(TestState.CLOCK.instant().plusSeconds(2));
    }

    @Test
    void laterHeartbeatsAndDuplicatesGetNoReplyAndWriteNothing() {
        postBinary(heartbeat(deviceId, 1)).then().statusCode(200);

        postBinary(heartbeat(deviceId, 2)).then().statusCode(204);
        postBinary(heartbeat(deviceId, 2)).then().statusCode(204);
        postBinary(heartbeat(deviceId, 1)).then().statusCode(204);

        assertThat(TestState.TIMERS.scheduled).hasSize(1);
    }

    @Test
    void aStructuredHeartbeatGetsAStructuredReply() {
        given().contentType("application/cloudevents+json")
                .body(HttpForms.structuredBody(heartbeat(deviceId, 1)))
                .post("/")
                .then().statusCode(200)
                .contentType("application/cloudevents+json")
                .body("type", equalTo(EventType.DEVICE_STATUS_CHANGED.type()))
                .body("data.current", equalTo("ONLINE"));
    }

    @Test
    void aHeartbeatOfAnUnregisteredDeviceIsRejectedNotACrash() {
        postBinary(heartbeat("d-acme-nobody", 1)).then().statusCode(200)
                .header("ce-type", EventType.DEVICE_HEARTBEAT_REJECTED.type())
                .body("subject", equalTo("d-acme-nobody"))
                .body("problems[0].message", equalTo("device d-acme-nobody is not registered in tenant " + tenant
                        + ": register it before sending heartbeats"));
        assertThat(TestState.TIMERS.scheduled).isEmpty();
    }

    @Test
    void aDeviceOfAnotherTenantIsUnknownHere() {
        CloudEvent foreign = Events.newEvent(EventType.DEVICE_HEARTBEAT, SOURCE, "globex", deviceId, heartbeatData(deviceId, 1)).build();

        postBinary(foreign).then().statusCode(200).header("ce-type", EventType.DEVICE_HEARTBEAT_REJECTED.type());
    }

    @Test
    void deadlinesTakeASilentDeviceToSuspectThenOffline() {
        postBinary(heartbeat(deviceId, 1)).then().statusCode(200);
        CloudEvent suspectTimer = TestState.TIMERS.scheduled.get(0).getKey();

        TestState.CLOCK.advance(java.time.Duration.ofMillis(2_500));
        postBinary(suspectTimer).then().statusCode(200)
                .header("ce-type", EventType.DEVICE_STATUS_CHANGED.type())
                .body("previous", equalTo("ONLINE"))
                .body("current", equalTo("SUSPECT"))
                .body("reason", startsWith("no heartbeat for 2.5 s"));
        CloudEvent offlineTimer = TestState.TIMERS.scheduled.get(1).getKey();
        assertThat(Events.payload(offlineTimer, LivenessDeadline.class).stage()).isEqualTo(LivenessStatus.OFFLINE);

        TestState.CLOCK.advance(java.time.Duration.ofMillis(1_000));
        postBinary(offlineTimer).then().statusCode(200)
                .body("previous", equalTo("SUSPECT"))
                .body("current", equalTo("OFFLINE"));
        assertThat(TestState.LIVENESS.tableOf(tenant).get(deviceId)).map(DeviceStatusChanged::current).contains(LivenessStatus.OFFLINE);
        // the same deadline again (the dispatcher retried: the first answer was lost or late): the change again, nothing new
        int scheduled = TestState.TIMERS.scheduled.size();
        postBinary(offlineTimer).then().statusCode(200).body("current", equalTo("OFFLINE"));
        assertThat(TestState.TIMERS.scheduled).hasSize(scheduled);

        // each transition once (the repeated answer is not one), and how long after the last heartbeat it was found
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .contains("autoglm_heartbeat_transitions_total{from=\"none\",tenant=\"" + tenant + "\",to=\"online\"} 1.0")
                .contains("autoglm_heartbeat_transitions_total{from=\"online\",tenant=\"" + tenant + "\",to=\"suspect\"} 1.0")
                .contains("autoglm_heartbeat_transitions_total{from=\"suspect\",tenant=\"" + tenant + "\",to=\"offline\"} 1.0")
                .contains("autoglm_heartbeat_detection_delay_seconds_sum{tenant=\"" + tenant + "\",to=\"suspect\"} 2.5")
                .contains("autoglm_heartbeat_detection_delay_seconds_bucket{tenant=\"" + tenant + "\",to=\"offline\",le=\"3.0\"} 0.0")
                .contains("autoglm_heartbeat_detection_delay_seconds_bucket{tenant=\"" + tenant + "\",to=\"offline\",le=\"5.0\"} 1.0")
                .containsPattern("autoglm_heartbeat_heartbeats_total [1-9]")
                .containsPattern("autoglm_heartbeat_deadlines_fired_total [1-9]")
                .containsPattern("autoglm_heartbeat_reannounced_total [1-9]");
    }

    @Test
    void aDeadlineOfADeregisteredDeviceEndsItsChainAndDropsItsStatus() {
        postBinary(heartbeat(deviceId, 1)).then().statusCode(200);
        TestState.REGISTRY.tableOf(tenant).remove(deviceId);

        postBinary(TestState.TIMERS.scheduled.get(0).getKey()).then().statusCode(204);

        assertThat(TestState.LIVENESS.tableOf(tenant).get(deviceId)).isEmpty();
        assertThat(TestState.TIMERS.scheduled).hasSize(1);
    }

    @Test
    void malformedJsonIsA400ProblemNotA500() {
        CloudEvent broken = CloudEventBuilder.v1(heartbeat(deviceId, 1))
                .withData("application/json", BytesCloudEventData.wrap("{\"deviceId\": \"x\", ".getBytes()))
                .build();

        postBinary(broken).then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", startsWith("data is not valid JSON"));
    }

    @Test
    void aLoadOutOfRangeIsA400NamingTheField() {
        String json = new String(EventJson.write(heartbeatData(deviceId, 1))).replace("\"cpu\":0.2", "\"cpu\":1.5");
        CloudEvent invalid = CloudEventBuilder.v1(heartbeat(deviceId, 1))
                .withData("application/json", BytesCloudEventData.wrap(json.getBytes()))
                .build();

        postBinary(invalid).then().statusCode(400)
                .contentType("application/problem+json")
                .body("problems.location", hasItem("data.load.cpu"));
    }

    @Test
    void aDeadlineForAnotherTenantThanItsEventIsA400() {
        LivenessDeadline deadline = new LivenessDeadline(deviceId, "globex", 1, LivenessStatus.SUSPECT, TestState.CLOCK.instant());
        CloudEvent mismatched = Events.newEvent(EventType.DEVICE_LIVENESS_DEADLINE, SOURCE, tenant, deviceId, deadline).build();

        postBinary(mismatched).then().statusCode(400)
                .contentType("application/problem+json")
                .body("problems[0].location", equalTo("data.tenant"));
    }

    @Test
    void aDeviceWhoseFirstHeartbeatsCallerHungUpIsAnnouncedByItsNextHeartbeat() throws Exception {
        long lost = readiness("answersLost");
        long gone = readiness("callersGone") + 1;
        TestState.tablesOpen = new CompletableFuture<>();
        try {
            // the dispatcher sends the first heartbeat, times out while the tenant's tables open, and closes the connection
            CloudEvent first = heartbeat(deviceId, 1);
            try (Socket socket = new Socket("localhost", RestAssured.port)) {
                StringBuilder head = new StringBuilder("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: ")
                        .append(HttpForms.binaryBody(first).length).append("\r\n");
                HttpForms.binaryHeaders(first).forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
                OutputStream out = socket.getOutputStream();
                out.write(head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
                out.write(HttpForms.binaryBody(first));
                out.flush();
                assertThat(await(() -> TestState.OPENING.contains(tenant))).as("the heartbeat is waiting for the tables").isTrue();
            }
            assertThat(awaitReadiness("callersGone", gone)).as("the function saw the caller hang up").isTrue();
        } finally {
            TestState.tablesOpen.complete(null);
            TestState.tablesOpen = CompletableFuture.completedFuture(null);
        }
        // the tables open: the first heartbeat is evaluated (ONLINE) and its answer goes nowhere
        assertThat(awaitReadiness("answersLost", lost + 1)).as("the ONLINE nobody heard of is known").isTrue();

        postBinary(heartbeat(deviceId, 2)).then().statusCode(200)
                .header("ce-type", EventType.DEVICE_STATUS_CHANGED.type())
                .body("current", equalTo("ONLINE"))
                .body("reason", equalTo("first heartbeat"));
        postBinary(heartbeat(deviceId, 3)).then().statusCode(204);
    }

    @Test
    void readinessReportsWhatTheEvaluatorSaw() {
        postBinary(heartbeat(deviceId, 1)).then().statusCode(200);
        // a redelivered copy of the heartbeat that made the device ONLINE says so again (its first answer may have been lost)
        postBinary(heartbeat(deviceId, 1)).then().statusCode(200).header("ce-type", EventType.DEVICE_STATUS_CHANGED.type());
        postBinary(heartbeat(deviceId, 2)).then().statusCode(204);
        postBinary(heartbeat(deviceId, 2)).then().statusCode(204);

        Map<String, Object> data = given().get("/q/health/ready").then().statusCode(200).extract().jsonPath().getMap("checks[0].data");
        assertThat(data).containsKeys("heartbeats", "duplicates", "outOfOrder", "unknownDevices", "deadlinesScheduled", "messagesPerHeartbeat");
        assertThat(((Number) data.get("duplicates")).intValue()).isPositive();
    }

    private static long readiness(String counter) {
        return ((Number) given().get("/q/health/ready").then().extract().jsonPath().getMap("checks[0].data").get(counter)).longValue();
    }

    /** Waits (a bounded condition, not a timing) until the readiness counter has reached {@code atLeast}. */
    private static boolean awaitReadiness(String counter, long atLeast) throws InterruptedException {
        return await(() -> readiness(counter) >= atLeast);
    }

    private static boolean await(BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 400; i++) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(25);
        }
        return false;
    }

    private static DeviceHeartbeat heartbeatData(String deviceId, long seq) {
        return new DeviceHeartbeat(deviceId, seq, TestState.CLOCK.instant(), new DeviceLoad(0.2, 0.3, null, 0), null, 40.0);
    }

    private CloudEvent heartbeat(String deviceId, long seq) {
        return Events.newEvent(EventType.DEVICE_HEARTBEAT, SOURCE, tenant, deviceId, heartbeatData(deviceId, seq)).build();
    }

    private static Response postBinary(CloudEvent event) {
        return given().headers(HttpForms.binaryHeaders(event)).body(HttpForms.binaryBody(event)).post("/");
    }
}
