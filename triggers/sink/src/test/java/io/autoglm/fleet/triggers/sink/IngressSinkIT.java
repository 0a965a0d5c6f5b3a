package io.autoglm.fleet.triggers.sink;

import io.autoglm.fleet.triggers.testing.TestTokens;
import io.autoglm.fleet.events.EventFamily;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.fixtures.HttpForms;
import io.autoglm.fleet.events.fixtures.InvalidEvent;
import io.autoglm.fleet.events.fixtures.InvalidEvents;
import io.autoglm.fleet.events.fixtures.ValidEvents;
import io.autoglm.fleet.service.BodyGuard;
import io.autoglm.fleet.service.ProblemDetails;
import io.autoglm.fleet.triggers.testing.TopicReader;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import org.apache.pulsar.client.api.PulsarClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import jakarta.inject.Inject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

/** The ingress sink over real HTTP into the real broker. */
@QuarkusTest
@QuarkusTestResource(value = SinkResource.class, restrictToAnnotatedClass = true)
class IngressSinkIT {

    private static PulsarClient client;

    @BeforeAll
    static void client() throws Exception {
        client = SinkResource.endpoints.clientBuilder().build();
    }

    @AfterAll
    static void close() throws Exception {
        client.close();
    }

    private static RequestSpecification as(String tenant) {
        return given().header("Authorization", "Bearer " + TestTokens.token(tenant));
    }

    private static RequestSpecification binary(RequestSpecification request, CloudEvent event) {
        HttpForms.binaryHeaders(event).forEach(request::header);
        return request.body(HttpForms.binaryBody(event));
    }

    private static CloudEvent heartbeat(String tenant, String id) {
        return CloudEventBuilder.v1(ValidEvents.of(EventType.DEVICE_HEARTBEAT)).withId(id).withExtension("tenant", tenant).build();
    }

    private static String batch(CloudEvent... events) {
        List<String> elements = new ArrayList<>();
        for (CloudEvent event : events) {
            elements.add(new String(HttpForms.structuredBody(event), StandardCharsets.UTF_8));
        }
        return "[" + String.join(",", elements) + "]";
    }

    @Test
    void aBinaryEventIsAcceptedOnlyOncePulsarHasIt() throws Exception {
        CloudEvent event = heartbeat("acme", "hb-binary");

        binary(as("acme"), event).post("/").then().statusCode(202)
                .body("accepted", equalTo(1)).body("tenant", equalTo("acme")).body("ids", hasItem("hb-binary"));

        assertThat(TopicReader.events(client, SinkResource.topics.events("acme", EventFamily.HEARTBEAT),
                events -> events.stream().anyMatch(e -> e.getId().equals("hb-binary")), Duration.ofSeconds(10)))
                .anySatisfy(written -> {
                    assertThat(written.getId()).isEqualTo("hb-binary");
                    assertThat(written.getData().toBytes()).isEqualTo(event.getData().toBytes());
                });
    }

    @Test
    void theTokensTenantIsStampedOnTheEventWhateverItSaid() throws Exception {
        CloudEvent claimsGlobex = CloudEventBuilder.v1(ValidEvents.of(EventType.DEVICE_REGISTRATION_REQUESTED))
                .withId("reg-stamped").withExtension("tenant", "globex").build();

        as("acme").contentType("application/cloudevents+json").body(HttpForms.structuredBody(claimsGlobex))
                .post("/").then().statusCode(202).body("tenant", equalTo("acme"));

        List<CloudEvent> acme = TopicReader.events(client, SinkResource.topics.events("acme", EventFamily.DEVICE),
                events -> events.stream().anyMatch(e -> e.getId().equals("reg-stamped")), Duration.ofSeconds(10));
        assertThat(acme).filteredOn(e -> e.getId().equals("reg-stamped")).singleElement()
                .satisfies(written -> assertThat(Events.tenant(written)).isEqualTo("acme"));
        assertThat(TopicReader.settled(client, SinkResource.topics.events("globex", EventFamily.DEVICE), Duration.ofMillis(300)))
                .noneMatch(e -> e.getId().equals("reg-stamped"));
    }

    @Test
    void aValidBatchIsWrittenWholeToEachEventsTopic() throws Exception {
        CloudEvent heartbeat = heartbeat("acme", "batch-hb");
        CloudEvent command = CloudEventBuilder.v1(ValidEvents.of(EventType.COMMAND_REQUESTED)).withId("batch-cmd").build();

        as("acme").contentType("application/cloudevents-batch+json").body(batch(heartbeat, command))
                .post("/tenants/acme").then().statusCode(202).body("accepted", equalTo(2));

        assertThat(TopicReader.events(client, SinkResource.topics.events("acme", EventFamily.HEARTBEAT),
                events -> events.stream().anyMatch(e -> e.getId().equals("batch-hb")), Duration.ofSeconds(10)))
                .extracting(CloudEvent::getId).contains("batch-hb");
        assertThat(TopicReader.events(client, SinkResource.topics.events("acme", EventFamily.COMMAND),
                events -> events.stream().anyMatch(e -> e.getId().equals("batch-cmd")), Duration.ofSeconds(10)))
                .extracting(CloudEvent::getId).contains("batch-cmd");
    }

    @Test
    void aDeadLetterGoesToTheTenantsDeadLetterTopic() throws Exception {
        CloudEvent letter = CloudEventBuilder.v1(heartbeat("acme", "letter-1"))
                .withExtension("knativeerrordest", "http://heartbeat.fleet.svc.cluster.local")
                .withExtension("knativeerrorcode", 503).withExtension("deliveryattempts", 4).build();

        binary(as("acme"), letter).post("/dead-letters").then().statusCode(202);

        assertThat(TopicReader.events(client, SinkResource.topics.deadLetters("acme"),
                events -> events.stream().anyMatch(e -> e.getId().equals("letter-1")), Duration.ofSeconds(10)))
                .filteredOn(e -> e.getId().equals("letter-1")).singleElement()
                .satisfies(written -> assertThat(written.getExtension("knativeerrorcode")).isEqualTo(503));
    }

    @Test
    void everyInvalidEventOfTheContractIsRefusedWithItsProblemAndNothingIsWritten() throws Exception {
        long before = messagesInNamespace();
        for (InvalidEvent invalid : InvalidEvents.all()) {
            RequestSpecification request = as("acme");
            invalid.httpHeaders().forEach(request::header);
            request.body(invalid.body()).post("/").then()
                    .statusCode(400)
                    .contentType(ProblemDetails.MEDIA_TYPE)
                    .body("status", equalTo(400))
                    .body("problems.location", hasItem(invalid.location()));
        }
        CloudEvent good = heartbeat("acme", "good-in-bad-batch");
        CloudEvent bad = CloudEventBuilder.v1(good).withId("bad-in-batch").withExtension("traceparent", "nope").build();
        as("acme").contentType("application/cloudevents-batch+json").body(batch(good, bad)).post("/").then()
                .statusCode(400).body("problems[0].location", equalTo("[1].traceparent"))
                .body("problems[0].message", startsWith("event [1]: traceparent must be W3C trace context"));

        assertThat(messagesInNamespace()).as("no invalid input was written").isEqualTo(before);
    }

    @Test
    void metricsCountWhatWasAcceptedAndRefusedPerTenant() {
        // a tenant of its own: the other tests' traffic does not move these lines
        for (int i = 0; i < 3; i++) {
            binary(as("initech"), heartbeat("initech", "metered-" + i)).post("/").then().statusCode(202);
        }
        as("initech").contentType("application/cloudevents-batch+json")
                .body(batch(heartbeat("initech", "metered-batch-1"), heartbeat("initech", "metered-batch-2")))
                .post("/").then().statusCode(202);
        binary(as("initech"), heartbeat("globex", "metered-forbidden")).post("/tenants/globex").then().statusCode(403);
        as("initech").contentType("application/cloudevents+json").body("{\"specversion\":\"1.0\"}").post("/").then().statusCode(400);
        as("initech").contentType("application/cloudevents+json").body("{\"specversion\":\"1.0\"}").post("/").then().statusCode(400);
        binary(given(), heartbeat("initech", "metered-no-token")).post("/").then().statusCode(401);

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();

        assertThat(metrics)
                .contains("autoglm_sink_events_total{outcome=\"accepted\",tenant=\"initech\"} 5.0")
                .contains("autoglm_sink_requests_refused_total{reason=\"forbidden\",tenant=\"initech\"} 1.0")
                .contains("autoglm_sink_requests_refused_total{reason=\"invalid\",tenant=\"initech\"} 2.0")
                .contains("autoglm_sink_publish_seconds_count{tenant=\"initech\"} 4.0")
                .contains("autoglm_sink_publish_seconds_bucket{tenant=\"initech\",le=\"30.0\"} 4.0")
                .contains("autoglm_sink_request_size_bytes_count{tenant=\"initech\"} 6.0")
                .containsPattern("autoglm_sink_requests_refused_total\\{reason=\"unauthenticated\",tenant=\"unknown\"} [1-9]");
    }

    @Test
    void withoutAValidTokenTheAnswerIs401() {
        CloudEvent event = heartbeat("acme", "no-token");
        binary(given(), event).post("/").then().statusCode(401).header("WWW-Authenticate", "Bearer")
                .contentType(ProblemDetails.MEDIA_TYPE).body("detail", containsString("Authorization: Bearer"));
        Map<String, String> reasons = Map.of(
                "not-a-jwt", "it is not a signed JWT",
                TestTokens.expiredToken("acme"), "it has expired",
                TestTokens.tokenSignedByAStranger("acme"), "its signature does not verify with this sink's key",
                TestTokens.tokenOfAnotherIssuer("acme"), "it is not from the issuer this sink trusts",
                TestTokens.everlastingToken("acme"), "it is valid for longer than the PT24H this sink accepts");
        reasons.forEach((token, reason) -> {
            String detail = binary(given().header("Authorization", "Bearer " + token), event).post("/").then()
                    .statusCode(401).body("title", equalTo("Missing or invalid bearer token"))
                    .extract().path("detail");
            assertThat(detail).as("the refusal says why, and never what the token claims")
                    .contains(reason).doesNotContain("acme", "\"tenant\"", "example.com", "autoglm.io", "32503680000", "claims->");
        });
    }

    @Test
    void anotherTenantsTopicsAndTokensWithoutATenantAre403() {
        CloudEvent event = heartbeat("globex", "forbidden");
        binary(as("acme"), event).post("/tenants/globex").then().statusCode(403)
                .body("detail", containsString("tenant 'acme' and may not write to tenant 'globex'"));
        binary(given().header("Authorization", "Bearer " + TestTokens.tokenWithoutTenant()), event).post("/").then()
                .statusCode(403).body("detail", containsString("no 'tenant' claim"));
    }

    @Test
    void aBodyOverTheLimitIs413WithAProblem() {
        String large = "[" + "{}, ".repeat(100_000) + "{}]";
        as("acme").contentType("application/cloudevents-batch+json").body(large).post("/").then()
                .statusCode(413).contentType(ProblemDetails.MEDIA_TYPE).body("detail", containsString("256 KiB"));
        assertThat(given().get("/q/metrics").then().statusCode(200).extract().asString())
                .containsPattern("autoglm_http_requests_refused_total\\{reason=\"too_large\"} [1-9]");
    }

    @Inject
    BodyGuard guard;

    /**
     * Sixteen 15 MiB chunked bodies at once, without a token and with one: the first are refused before their body is
     * read, the others cut off at the limit (413 with a problem body) or turned away once the bodies being read hold
     * the budget (503); the sink, on a 192 MiB heap, holds no more than its budget and goes on taking other callers' events.
     */
    @Test
    void aFloodOfLargeChunkedBodiesLeavesTheSinkUpAndBounded() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI sink = URI.create("http://127.0.0.1:" + io.restassured.RestAssured.port + "/");
        for (String authorization : new String[] {null, "Bearer " + TestTokens.token("acme")}) {
            List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                HttpRequest.Builder request = HttpRequest.newBuilder(sink).timeout(Duration.ofSeconds(60)).header("Content-Type",
                        "application/cloudevents-batch+json").POST(HttpRequest.BodyPublishers.ofInputStream(() ->
                                new java.io.BufferedInputStream(java.io.InputStream.nullInputStream()) {
                                    private long left = 15 << 20;

                                    @Override
                                    public int read(byte[] buffer, int offset, int length) {
                                        int n = (int) Math.min(length, left);
                                        left -= n;
                                        return n == 0 ? -1 : n; // zeros, never held by the client
                                    }
                                }));
                if (authorization != null) {
                    request.header("Authorization", authorization);
                }
                flood.add(http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (var answer : flood) {
                HttpResponse<String> response = answer.get(60, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(response.statusCode()).isIn(authorization == null ? List.of(401) : List.of(413, 503));
                assertThat(response.headers().firstValue("Content-Type")).hasValue(ProblemDetails.MEDIA_TYPE);
            }
            binary(as("acme"), heartbeat("acme", "after-flood-" + (authorization == null ? "anonymous" : "with-token")))
                    .post("/").then().statusCode(202);
        }
        assertThat(guard.mostHeld()).as("body bytes held at once").isLessThanOrEqualTo(64L << 20);
    }

    /** Every message in every topic of the test's namespace. */
    private static long messagesInNamespace() throws Exception {
        HttpResponse<String> topics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                SinkResource.endpoints.adminUrl() + "/admin/v2/namespaces/" + SinkResource.topics.namespace() + "/topics")).build(),
                HttpResponse.BodyHandlers.ofString());
        long count = 0;
        for (String topic : io.autoglm.fleet.events.EventJson.mapper().readValue(topics.body(), String[].class)) {
            count += TopicReader.settled(client, topic, Duration.ofMillis(300)).size();
        }
        return count;
    }
}
