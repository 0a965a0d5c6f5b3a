package io.autoglm.fleet.functions.runtime;

import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.device.DeviceHeartbeat;
import io.autoglm.fleet.events.fixtures.HttpForms;
import io.autoglm.fleet.events.fixtures.InvalidEvent;
import io.autoglm.fleet.events.fixtures.InvalidEvents;
import io.autoglm.fleet.events.fixtures.SamplePayloads;
import io.autoglm.fleet.events.fixtures.ValidEvents;
import io.autoglm.fleet.events.validation.EventValidator;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.data.BytesCloudEventData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
class CloudEventEdgeTest {

    static List<InvalidEvent> invalidEvents() {
        return InvalidEvents.all();
    }

    @Test
    void aValidBinaryEventReachesTheFunctionAndTheReplyIsAContractEvent() {
        Response response = postBinary(ValidEvents.of(EventType.DEVICE_HEARTBEAT));

        response.then().statusCode(200)
                .header("ce-type", "io.autoglm.device.status.changed")
                .header("ce-dataschema", EventType.DEVICE_STATUS_CHANGED.dataSchema().toString())
                .header("ce-tenant", SamplePayloads.TENANT)
                .header("ce-partitionkey", SamplePayloads.DEVICE_ID)
                .body("current", equalTo("ONLINE"))
                .body("lastHeartbeatSeq", equalTo(42));
        assertThat(EventValidator.standard().validateData(EventType.DEVICE_STATUS_CHANGED,
                EventJson.tree(response.asByteArray()))).as("the reply satisfies its schema").isEmpty();
    }

    @Test
    void aValidStructuredEventReachesTheFunction() {
        given().contentType("application/cloudevents+json")
                .body(HttpForms.structuredBody(ValidEvents.of(EventType.DEVICE_HEARTBEAT)))
                .post("/")
                .then().statusCode(200)
                .body("type", equalTo("io.autoglm.device.status.changed"))
                .body("data.current", equalTo("ONLINE"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidEvents")
    void everyInvalidEventOfTheContractGetsA400NamingTheCulprit(InvalidEvent invalid) {
        given().headers(invalid.httpHeaders()).body(invalid.body())
                .post("/")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://autoglm.io/problems/invalid-event"))
                .body("status", equalTo(400))
                .body("problems.location", hasItem(invalid.location()));
    }

    @Test
    void malformedJsonDataIsA400NotA500() {
        CloudEvent event = CloudEventBuilder.v1(ValidEvents.of(EventType.DEVICE_HEARTBEAT))
                .withData("application/json", BytesCloudEventData.wrap("{\"deviceId\": ".getBytes()))
                .build();

        postBinary(event).then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", startsWith("data is not valid JSON"));
    }

    /** What the sink accepts and the dispatcher delivers: an event without a data content type, whose data is JSON. */
    @Test
    void anEventWithoutADataContentTypeIsTakenAsJsonInEitherMode() throws Exception {
        CloudEvent untyped = CloudEventBuilder.v1(ValidEvents.of(EventType.DEVICE_HEARTBEAT))
                .withData(null, ValidEvents.of(EventType.DEVICE_HEARTBEAT).getData()).build();
        assertThat(untyped.getDataContentType()).isNull();
        assertThat(HttpForms.binaryHeaders(untyped)).doesNotContainKey("Content-Type");

        // as the dispatcher sends it: no Content-Type at all (RestAssured would add one)
        java.net.http.HttpRequest.Builder binary = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://localhost:" + io.restassured.RestAssured.port + "/"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(HttpForms.binaryBody(untyped)));
        HttpForms.binaryHeaders(untyped).forEach(binary::header);
        java.net.http.HttpResponse<String> answer = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1)
                .build().send(binary.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).contains("\"current\":\"ONLINE\"");
        given().contentType("application/cloudevents+json").body(HttpForms.structuredBody(untyped)).post("/")
                .then().statusCode(200).body("data.current", equalTo("ONLINE"));
    }

    @Test
    void aBodyOverTheLimitIsA413ProblemWhetherDeclaredOrChunked() {
        byte[] large = new byte[(1 << 20) + 1];
        given().contentType("application/cloudevents+json").body(large).post("/").then().statusCode(413)
                .contentType("application/problem+json").body("type", equalTo("https://autoglm.io/problems/request-too-large"));
        given().contentType("application/cloudevents+json").body(new java.io.ByteArrayInputStream(large)).post("/")
                .then().statusCode(413).contentType("application/problem+json");
    }

    @Test
    void batchModeIsA406ThatSaysWhatToDoInstead() {
        given().contentType("application/cloudevents-batch+json")
                .body("[" + new String(HttpForms.structuredBody(ValidEvents.of(EventType.DEVICE_HEARTBEAT))) + "]")
                .post("/")
                .then().statusCode(406)
                .contentType("application/problem+json")
                .body("detail", startsWith("functions take one event per request"));
    }

    @Test
    void aContractTypeNoFunctionHereTakesIsA404ProblemNamingTheType() {
        postBinary(ValidEvents.of(EventType.COMMAND_REQUESTED)).then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", equalTo("no function here is triggered by type io.autoglm.command.requested"));
    }

    @Test
    void anInvalidEventExceptionFromTheFunctionIsA400() {
        postBinary(heartbeatWithSeq(StatusEchoFunction.INVALID_SEQ)).then().statusCode(400)
                .contentType("application/problem+json")
                .body("problems[0].location", equalTo("data.seq"));
    }

    @Test
    void aFailureOfTheFunctionIsA500ProblemWithAnErrorIdAndNoStackTrace() {
        String body = postBinary(heartbeatWithSeq(StatusEchoFunction.FAILING_SEQ)).then().statusCode(500)
                .contentType("application/problem+json")
                .extract().asString();
        assertThat(body).contains("error id").doesNotContain("IllegalStateException").doesNotContain("at io.");
    }

    @Test
    void healthIsServed() {
        given().get("/q/health/live").then().statusCode(200);
    }

    private static CloudEvent heartbeatWithSeq(long seq) {
        DeviceHeartbeat sample = SamplePayloads.heartbeat();
        DeviceHeartbeat heartbeat = new DeviceHeartbeat(sample.deviceId(), seq, sample.sentAt(), sample.load(), sample.battery(), sample.rttMs());
        return CloudEventBuilder.v1(ValidEvents.of(EventType.DEVICE_HEARTBEAT))
                .withData("application/json", BytesCloudEventData.wrap(EventJson.write(heartbeat)))
                .build();
    }

    private static Response postBinary(CloudEvent event) {
        return given().headers(HttpForms.binaryHeaders(event)).body(HttpForms.binaryBody(event)).post("/");
    }
}
