package io.autoglm.fleet.triggers.sink;

import io.autoglm.fleet.triggers.testing.TestTokens;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.fixtures.HttpForms;
import io.autoglm.fleet.events.fixtures.ValidEvents;
import io.cloudevents.CloudEvent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** The sink with no broker behind it: it starts, and answers 503 with a problem telling the caller to retry. */
@QuarkusTest
@QuarkusTestResource(value = SinkUnavailableIT.NoBroker.class, restrictToAnnotatedClass = true)
class SinkUnavailableIT {

    /** Points the sink at a loopback port where nothing listens. */
    public static class NoBroker implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return Map.of(
                        "autoglm.pulsar.service-url", "pulsar://127.0.0.1:" + socket.getLocalPort(),
                        "autoglm.pulsar.operation-timeout", "2s",
                        "autoglm.pulsar.publish-timeout", "2s",
                        "mp.jwt.verify.publickey.location", TestTokens.publicKeyFile().toString());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void stop() {
        }
    }

    @Test
    void aSingleEventAndABatchAreAnswered503WithRetryAfter() {
        CloudEvent event = ValidEvents.of(EventType.DEVICE_HEARTBEAT);
        var single = given().header("Authorization", "Bearer " + TestTokens.token("acme"));
        HttpForms.binaryHeaders(event).forEach(single::header);
        single.body(HttpForms.binaryBody(event)).post("/").then()
                .statusCode(503).header("Retry-After", "1")
                .body("title", equalTo("Event log unavailable"))
                .body("detail", containsString("nothing of this request was written"));

        String batch = "[" + new String(HttpForms.structuredBody(event), StandardCharsets.UTF_8) + ","
                + new String(HttpForms.structuredBody(ValidEvents.of(EventType.DEVICE_REGISTRATION_REQUESTED)), StandardCharsets.UTF_8) + "]";
        given().header("Authorization", "Bearer " + TestTokens.token("acme")).contentType("application/cloudevents-batch+json")
                .body(batch).post("/").then().statusCode(503).body("status", equalTo(503));
    }
}
