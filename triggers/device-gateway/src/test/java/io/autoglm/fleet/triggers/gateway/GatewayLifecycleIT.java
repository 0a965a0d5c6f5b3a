package io.autoglm.fleet.triggers.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoglm.fleet.events.EventFamily;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.device.DevicePresence;
import io.autoglm.fleet.triggers.testing.TopicReader;
import io.cloudevents.CloudEvent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.pulsar.client.api.PulsarClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A replica's own ends of a socket: a dead device closed as idle, and a graceful shutdown draining everyone (last). */
@QuarkusTest
@QuarkusTestResource(value = GatewayLifecycleIT.QuickSweeps.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayLifecycleIT {

    /** The IT gateway, pinging every 300 ms and closing sockets silent for 1.5 s. */
    public static class QuickSweeps extends GatewayResource {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = new java.util.HashMap<>(super.start());
            config.put("autoglm.gateway.ping-interval", "300ms");
            config.put("autoglm.gateway.idle-timeout", "1500ms");
            return config;
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final DeviceCredentials CREDENTIALS = new DeviceCredentials(DeviceCredentials.key(GatewayResource.SECRET),
            "https://autoglm.io/fleet/device-gateway", Duration.ofDays(1), java.time.Clock.systemUTC());

    private static PulsarClient client;

    @Inject
    DeviceSessions sessions;

    @BeforeAll
    static void client() throws Exception {
        client = GatewayResource.endpoints.clientBuilder().build();
    }

    @AfterAll
    static void close() throws Exception {
        client.close();
    }

    private static String bearer(String deviceId) {
        return "Bearer " + CREDENTIALS.issue("acme", deviceId).token();
    }

    private static CloudEvent awaitPresence(String deviceId, EventType type) throws Exception {
        List<CloudEvent> events = TopicReader.events(client, GatewayResource.topics.events("acme", EventFamily.PRESENCE),
                all -> all.stream().anyMatch(e -> is(e, deviceId, type)), WAIT);
        return events.stream().filter(e -> is(e, deviceId, type)).findFirst().orElseThrow();
    }

    private static boolean is(CloudEvent event, String deviceId, EventType type) {
        return event.getType().equals(type.type()) && Events.payload(event, DevicePresence.class).deviceId().equals(deviceId);
    }

    @Test
    @Order(1)
    void aDeviceThatAnswersPingsStaysAndADeadOneIsClosedAsIdle() throws Exception {
        try (TestDevice alive = TestDevice.connect(URI.create("ws://127.0.0.1:" + io.restassured.RestAssured.port + DeviceSocketRoute.PATH),
                bearer("d-acme-alive"));
             RawUpgrade dead = RawUpgrade.open(io.restassured.RestAssured.port,
                     Map.of("Sec-WebSocket-Protocol", "cloudevents.json", "Authorization", bearer("d-acme-dead")))) {
            assertThat(dead.answer()).startsWith("HTTP/1.1 101").contains("cloudevents.json");

            CloudEvent left = awaitPresence("d-acme-dead", EventType.DEVICE_DISCONNECTED);

            assertThat(Events.payload(left, DevicePresence.class).reason()).startsWith("idle");
            assertThat(dead.closedByServer()).isTrue();
            assertThat(alive.closed).as("the JDK's client answers pings").isNotDone();
        }
    }

    @Test
    @Order(2)
    void drainingTellsEveryDeviceRecordsItsLeavingAndClosesWith1001() throws Exception {
        URI uri = URI.create("ws://127.0.0.1:" + io.restassured.RestAssured.port + DeviceSocketRoute.PATH);
        try (TestDevice one = TestDevice.connect(uri, bearer("d-acme-drained-1")); TestDevice two = TestDevice.connect(uri, bearer("d-acme-drained-2"))) {
            awaitPresence("d-acme-drained-1", EventType.DEVICE_CONNECTED);
            awaitPresence("d-acme-drained-2", EventType.DEVICE_CONNECTED);

            sessions.drain(Duration.ofSeconds(2), Duration.ofSeconds(5));

            for (TestDevice device : List.of(one, two)) {
                JsonNode draining = device.next(EventType.GATEWAY_DRAINING.type(), WAIT);
                assertThat(draining.path("data").path("reconnectAfterMs").asLong()).isEqualTo(2000);
                assertThat(device.closed.get(10, TimeUnit.SECONDS)).startsWith("1001").contains("draining");
            }
            assertThat(Events.payload(awaitPresence("d-acme-drained-1", EventType.DEVICE_DISCONNECTED), DevicePresence.class).reason())
                    .isEqualTo("draining");
            try (RawUpgrade refused = RawUpgrade.open(io.restassured.RestAssured.port,
                    Map.of("Sec-WebSocket-Protocol", "cloudevents.json", "Authorization", bearer("d-acme-late")))) {
                assertThat(refused.answer()).startsWith("HTTP/1.1 503").contains("another");
            }
        }
    }
}
