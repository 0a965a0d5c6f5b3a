package io.autoglm.fleet.triggers.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.autoglm.fleet.events.EventFamily;
import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.events.Rejection;
import io.autoglm.fleet.events.command.CommandCompleted;
import io.autoglm.fleet.events.command.CommandDelivered;
import io.autoglm.fleet.events.command.CommandDispatched;
import io.autoglm.fleet.events.device.DevicePresence;
import io.autoglm.fleet.events.device.DeviceRecord;
import io.autoglm.fleet.events.device.DeviceRegistered;
import io.autoglm.fleet.events.device.RegistrationOutcome;
import io.autoglm.fleet.events.fixtures.SamplePayloads;
import io.autoglm.fleet.events.pulsar.PulsarEventPublisher;
import io.autoglm.fleet.triggers.testing.TestTokens;
import io.autoglm.fleet.triggers.testing.TopicReader;
import io.cloudevents.CloudEvent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Reader;
import org.apache.pulsar.client.api.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** The device gateway over real WebSockets, on the real broker. */
@QuarkusTest
@QuarkusTestResource(value = GatewayResource.class, restrictToAnnotatedClass = true)
class DeviceGatewayIT {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final DeviceCredentials CREDENTIALS = new DeviceCredentials(DeviceCredentials.key(GatewayResource.SECRET),
            "https://autoglm.io/fleet/device-gateway", Duration.ofDays(1), java.time.Clock.systemUTC());

    private static PulsarClient client;
    private static PulsarEventPublisher publisher;

    @BeforeAll
    static void client() throws Exception {
        client = GatewayResource.endpoints.clientBuilder().build();
        publisher = new PulsarEventPublisher(client, GatewayResource.topics);
    }

    @AfterAll
    static void close() throws Exception {
        publisher.close();
        client.close();
    }

    private static URI socketUri() {
        return URI.create("ws://127.0.0.1:" + io.restassured.RestAssured.port + DeviceSocketRoute.PATH);
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    /** A device of acme connected with a credential, once the gateway has written its connection. */
    private static TestDevice device(String deviceId) throws Exception {
        TestDevice device = TestDevice.connect(socketUri(), bearer(CREDENTIALS.issue("acme", deviceId).token()));
        awaitPresence(deviceId, EventType.DEVICE_CONNECTED);
        return device;
    }

    private static CloudEvent awaitPresence(String deviceId, EventType type) throws Exception {
        return await(EventFamily.PRESENCE, event -> event.getType().equals(type.type())
                && Events.payload(event, DevicePresence.class).deviceId().equals(deviceId));
    }

    private static CloudEvent await(EventFamily family, java.util.function.Predicate<CloudEvent> which) throws Exception {
        List<CloudEvent> events = TopicReader.events(client, GatewayResource.topics.events("acme", family),
                all -> all.stream().anyMatch(which), WAIT);
        return events.stream().filter(which).findFirst().orElseThrow(() -> new AssertionError("no such event on " + family + ": " + events));
    }

    /** The fixture event of {@code type} as device {@code deviceId} sends it. */
    private static String frameOf(EventType type, String deviceId, Consumer<ObjectNode> edit) {
        return InboundFramesTest.frame(type, event -> {
            event.put("id", UUID.randomUUID().toString());
            ((ObjectNode) event.get("data")).put("deviceId", deviceId);
            edit.accept(event);
        });
    }

    private static String heartbeat(String deviceId) {
        return frameOf(EventType.DEVICE_HEARTBEAT, deviceId, event -> { });
    }

    @Test
    void aDeviceRegistersGetsItsCredentialAndItsHeartbeatsReachTheHeartbeatTopic() throws Exception {
        String registrationId = "reg-" + UUID.randomUUID();
        try (TestDevice enrolling = TestDevice.connect(socketUri(), bearer(TestTokens.token("acme")))) {
            assertThat(enrolling.subprotocol()).isEqualTo(DeviceSocketRoute.SUBPROTOCOL);
            enrolling.send(InboundFramesTest.frame(EventType.DEVICE_REGISTRATION_REQUESTED, event -> event.put("id", registrationId)));

            // the registry function's part: it answers on the tenant's device topic, requestId = the request's event id
            CloudEvent request = await(EventFamily.DEVICE, event -> event.getId().equals(registrationId));
            assertThat(Events.tenant(request)).isEqualTo("acme");
            DeviceRecord record = new DeviceRecord("d-acme-registered-1", "acme", 1, SamplePayloads.phone(), SamplePayloads.record().fingerprintDigest(),
                    Instant.now(), Instant.now());
            publisher.publish(Events.newEvent(EventType.DEVICE_REGISTERED, URI.create("/test/registry"), "acme", record.deviceId(),
                    new DeviceRegistered(registrationId, RegistrationOutcome.CREATED, record)).build()).get(10, TimeUnit.SECONDS);

            JsonNode registered = enrolling.next(EventType.DEVICE_REGISTERED.type(), WAIT);
            assertThat(registered.path("data").path("requestId").asText()).isEqualTo(registrationId);
            JsonNode credential = enrolling.next(EventType.DEVICE_CREDENTIAL_ISSUED.type(), WAIT);
            assertThat(credential.path("data").path("deviceId").asText()).isEqualTo("d-acme-registered-1");
            String token = credential.path("data").path("token").asText();

            try (TestDevice device = TestDevice.connect(socketUri(), bearer(token))) {
                String beat = heartbeat("d-acme-registered-1");
                String beatId = EventJson.tree(beat.getBytes()).path("id").asText();
                device.send(beat);

                CloudEvent written = await(EventFamily.HEARTBEAT, event -> event.getId().equals(beatId));
                assertThat(Events.tenant(written)).isEqualTo("acme");
                assertThat(Events.partitionKey(written)).isEqualTo("d-acme-registered-1");
            }
        }
    }

    @Test
    void aRejectedRegistrationIsRelayedWithoutACredential() throws Exception {
        String registrationId = "reg-" + UUID.randomUUID();
        try (TestDevice enrolling = TestDevice.connect(socketUri(), bearer(TestTokens.token("acme")))) {
            enrolling.send(InboundFramesTest.frame(EventType.DEVICE_REGISTRATION_REQUESTED, event -> event.put("id", registrationId)));
            await(EventFamily.DEVICE, event -> event.getId().equals(registrationId));
            publisher.publish(Events.newEvent(EventType.DEVICE_REGISTRATION_REJECTED, URI.create("/test/registry"), "acme", null,
                    new Rejection(registrationId, EventType.DEVICE_REGISTRATION_REQUESTED.type(), null,
                            List.of(new Problem("data.capabilities", "the declaration names no platform")))).build())
                    .get(10, TimeUnit.SECONDS);

            JsonNode rejected = enrolling.next(EventType.DEVICE_REGISTRATION_REJECTED.type(), WAIT);
            assertThat(rejected.path("data").path("requestId").asText()).isEqualTo(registrationId);
            assertThat(rejected.path("data").path("problems").get(0).path("message").asText()).contains("no platform");
            assertThat(enrolling.drain(Duration.ofSeconds(1)))
                    .noneMatch(frame -> frame.path("type").asText().equals(EventType.DEVICE_CREDENTIAL_ISSUED.type()));
        }
    }

    /** What the router writes for {@code deviceId}: a command with a 5 s execution timeout, on the tenant's command topic. */
    private static CommandDispatched dispatch(String deviceId) throws Exception {
        CommandDispatched sample = SamplePayloads.commandDispatched();
        CommandDispatched command = new CommandDispatched("cmd-" + UUID.randomUUID(), null, deviceId, "acme", sample.placement(),
                sample.action(), sample.strategy(), "test", Instant.now(), Instant.now().plusSeconds(60), 5_000L);
        publisher.publish(Events.newEvent(EventType.COMMAND_DISPATCHED, URI.create("/test/router"), "acme", deviceId, command).build())
                .get(10, TimeUnit.SECONDS);
        return command;
    }

    @Test
    void aCommandDispatchedToPulsarReachesTheDevicesSocketAndIsRecordedDelivered() throws Exception {
        try (TestDevice device = device("d-acme-commands")) {
            CommandDispatched command = dispatch("d-acme-commands");

            JsonNode frame = device.next(EventType.COMMAND_DISPATCHED.type(), WAIT);
            assertThat(frame.path("data").path("commandId").asText()).isEqualTo(command.commandId());
            assertThat(frame.path("data").path("timeoutMs").asLong()).isEqualTo(5_000L);

            CloudEvent delivered = await(EventFamily.COMMAND_STATUS, event -> event.getType().equals(EventType.COMMAND_DELIVERED.type())
                    && Events.payload(event, CommandDelivered.class).commandId().equals(command.commandId()));
            assertThat(Events.payload(delivered, CommandDelivered.class).gateway()).isEqualTo(GatewayResource.REPLICA);
            assertThat(Events.partitionKey(delivered)).isEqualTo("d-acme-commands");
        }
    }

    @Test
    void aCommandForADeviceNotHeldHereIsNotPushedToAnother() throws Exception {
        try (TestDevice device = device("d-acme-bystander")) {
            dispatch("d-acme-offline");
            assertThat(device.drain(Duration.ofSeconds(1))).noneMatch(frame -> frame.path("type").asText().equals(EventType.COMMAND_DISPATCHED.type()));
        }
    }

    @Test
    void aForgedDeviceIdIsRefusedAndNothingIsWritten() throws Exception {
        try (TestDevice device = device("d-acme-honest")) {
            String forged = heartbeat("d-acme-victim");
            String forgedId = EventJson.tree(forged.getBytes()).path("id").asText();
            long before = written();

            device.send(forged);

            JsonNode error = device.next(EventType.GATEWAY_ERROR.type(), WAIT);
            assertThat(error.path("data").path("code").asText()).isEqualTo(InboundFrames.NOT_YOURS);
            assertThat(error.path("data").path("eventId").asText()).isEqualTo(forgedId);
            assertThat(error.path("data").path("message").asText()).contains("d-acme-victim", "d-acme-honest");
            assertThat(written()).isEqualTo(before);
        }
    }

    /** A bad frame from one device: answered with {@code code}, nothing written, and another device's heartbeat still goes through. */
    private void assertRefused(String code, Consumer<TestDevice> send) throws Exception {
        try (TestDevice bad = device("d-acme-bad"); TestDevice good = device("d-acme-good")) {
            long before = written();

            send.accept(bad);

            JsonNode error = bad.next(EventType.GATEWAY_ERROR.type(), WAIT);
            assertThat(error.path("data").path("code").asText()).isEqualTo(code);
            assertThat(error.path("data").path("message").asText()).doesNotContain("Exception", "\tat ", "\n");
            assertThat(error.path("tenant").asText()).isEqualTo("acme");
            assertThat(written()).as("nothing of the bad frame was written").isEqualTo(before);
            String beat = heartbeat("d-acme-good");
            String beatId = EventJson.tree(beat.getBytes()).path("id").asText();
            good.send(beat);
            await(EventFamily.HEARTBEAT, event -> event.getId().equals(beatId));
            assertThat(bad.closed).as("a refused frame leaves the socket open").isNotDone();
        }
    }

    @Test
    void aBinaryFrameIsRefused() throws Exception {
        assertRefused(InboundFrames.BINARY_FRAME, device -> device.sendBinary(heartbeat("d-acme-bad").getBytes()));
    }

    @Test
    void aFrameThatIsNotJsonIsRefused() throws Exception {
        assertRefused(InboundFrames.INVALID_JSON, device -> device.send("heartbeat, please"));
    }

    @Test
    void anInvalidEventIsRefused() throws Exception {
        assertRefused(InboundFrames.INVALID_EVENT, device -> device.send(frameOf(EventType.DEVICE_HEARTBEAT, "d-acme-bad",
                event -> ((ObjectNode) event.get("data")).remove("sentAt"))));
    }

    @Test
    void anEventOfAnotherTenantIsRefused() throws Exception {
        assertRefused(InboundFrames.NOT_YOURS, device -> device.send(frameOf(EventType.DEVICE_HEARTBEAT, "d-acme-bad",
                event -> event.put("tenant", "globex"))));
    }

    @Test
    void anUnknownTypeIsRefused() throws Exception {
        assertRefused(InboundFrames.UNKNOWN_TYPE, device -> device.send(frameOf(EventType.DEVICE_HEARTBEAT, "d-acme-bad",
                event -> event.put("type", "io.autoglm.device.teleported"))));
    }

    @Test
    void aTypeADeviceMayNotSendIsRefused() throws Exception {
        assertRefused(InboundFrames.NOT_ALLOWED, device -> device.send(frameOf(EventType.COMMAND_DISPATCHED, "d-acme-bad", event -> { })));
    }

    @Test
    void aFrameOverTheEventLimitIsRefused() throws Exception {
        assertRefused(InboundFrames.TOO_LARGE, device -> device.send(frameOf(EventType.COMMAND_PROGRESS, "d-acme-bad",
                event -> ((ObjectNode) event.get("data")).put("message", "z".repeat(20_000)))));
    }

    @Test
    void aFrameOverTheFrameLimitClosesTheSocketWith1009() throws Exception {
        try (TestDevice device = device("d-acme-huge")) {
            device.send(frameOf(EventType.COMMAND_PROGRESS, "d-acme-huge", event -> event.put("padding", "z".repeat(1_100_000))));
            assertThat(device.closed.get(10, TimeUnit.SECONDS)).startsWith("1009");
            awaitPresence("d-acme-huge", EventType.DEVICE_DISCONNECTED);
        }
    }

    @Test
    void anObservationsScreenshotIsStoredAndOnlyItsClaimCheckIsWritten() throws Exception {
        try (TestDevice device = device("d-acme-observer")) {
            String commandId = "cmd-" + UUID.randomUUID();
            String png = SamplePayloads.commandCompletedOnTheSocket().observation().png();
            device.send(frameOf(EventType.COMMAND_COMPLETED, "d-acme-observer", event -> {
                ObjectNode data = (ObjectNode) event.get("data");
                data.put("commandId", commandId);
                data.put("output", "o".repeat(20_000)); // over the event limit: read off the event loop, as a real screenshot is
                data.set("observation", EventJson.mapper().valueToTree(SamplePayloads.commandCompletedOnTheSocket().observation()));
            }));

            CloudEvent written = await(EventFamily.COMMAND_STATUS, event -> event.getType().equals(EventType.COMMAND_COMPLETED.type())
                    && Events.payload(event, CommandCompleted.class).commandId().equals(commandId));
            CommandCompleted completed = Events.payload(written, CommandCompleted.class);
            assertThat(completed.observation().png()).isNull();
            assertThat(completed.observation().screenshot()).isNotNull();
            Path stored = Path.of(completed.observation().screenshot().uri());
            assertThat(stored).startsWith(GatewayResource.screenshots);
            assertThat(Files.readAllBytes(stored)).isEqualTo(Base64.getDecoder().decode(png));
        }
    }

    @Test
    void presenceIsWrittenOnConnectAndOnLeaving() throws Exception {
        TestDevice device = device("d-acme-present");
        CloudEvent connected = awaitPresence("d-acme-present", EventType.DEVICE_CONNECTED);
        assertThat(Events.payload(connected, DevicePresence.class).gateway()).isEqualTo(GatewayResource.REPLICA);
        assertThat(presenceRow("d-acme-present")).isNotNull();

        device.close();

        CloudEvent disconnected = awaitPresence("d-acme-present", EventType.DEVICE_DISCONNECTED);
        assertThat(Events.payload(disconnected, DevicePresence.class).reason()).isEqualTo("bye");
        assertThat(presenceRow("d-acme-present")).as("a tombstone once it left").isNull();
    }

    @Test
    void aSecondConnectionOfADeviceReplacesTheFirst() throws Exception {
        try (TestDevice first = device("d-acme-twice")) {
            try (TestDevice second = TestDevice.connect(socketUri(), bearer(CREDENTIALS.issue("acme", "d-acme-twice").token()))) {
                assertThat(first.closed.get(10, TimeUnit.SECONDS)).startsWith("4001").contains("replaced");
                String beat = heartbeat("d-acme-twice");
                String beatId = EventJson.tree(beat.getBytes()).path("id").asText();
                second.send(beat);
                await(EventFamily.HEARTBEAT, event -> event.getId().equals(beatId));
            }
        }
    }

    @Test
    void aDeviceWithItsTenantsClientCertificateConnectsOverTls() throws Exception {
        TestCertificates.Issued certificate = TestCertificates.device(GatewayResource.ACME_CA, "d-acme-mtls", "acme");
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(certificate.keyStore(), "secret".toCharArray());
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("gateway-ca", GatewayResource.GATEWAY_CA.certificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        HttpClient http = HttpClient.newBuilder().sslContext(tls).build();

        try (TestDevice device = TestDevice.connect(http, URI.create("wss://localhost:" + GatewayResource.sslPort + DeviceSocketRoute.PATH), null)) {
            String beat = heartbeat("d-acme-mtls");
            String beatId = EventJson.tree(beat.getBytes()).path("id").asText();
            device.send(beat);
            CloudEvent written = await(EventFamily.HEARTBEAT, event -> event.getId().equals(beatId));
            assertThat(Events.partitionKey(written)).isEqualTo("d-acme-mtls");

            device.send(heartbeat("d-acme-someone-else"));
            assertThat(device.next(EventType.GATEWAY_ERROR.type(), WAIT).path("data").path("code").asText()).isEqualTo(InboundFrames.NOT_YOURS);
        }
    }

    @Test
    void theHandshakeIsRefusedWithAProblemWithoutTheSubprotocolOrACredential() throws Exception {
        String noSubprotocol = handshake(Map.of("Authorization", bearer(TestTokens.token("acme"))));
        assertThat(noSubprotocol).startsWith("HTTP/1.1 400").contains("application/problem+json").contains("cloudevents.json");

        String noCredential = handshake(Map.of("Sec-WebSocket-Protocol", "cloudevents.json"));
        assertThat(noCredential).startsWith("HTTP/1.1 401").contains("application/problem+json").contains("Authorization: Bearer");

        String forgedCredential = handshake(Map.of("Sec-WebSocket-Protocol", "cloudevents.json", "Authorization",
                bearer(new DeviceCredentials("a stranger's key of thirty-two bytes or more".getBytes(), "https://autoglm.io/fleet/device-gateway",
                        Duration.ofDays(1), java.time.Clock.systemUTC()).issue("acme", "d-1").token())));
        assertThat(forgedCredential).startsWith("HTTP/1.1 401").contains("signature does not verify");
    }

    @Test
    void metricsCountSocketsFramesCommandsPushedAndRefusalsByReason() throws Exception {
        double framesIn = scraped("autoglm_gateway_frames_in_total");
        double framesOut = scraped("autoglm_gateway_frames_out_total");
        double notJson = scraped("autoglm_gateway_frames_refused_total{reason=\"invalid-json\"}");
        double pushed = scraped("autoglm_gateway_commands_pushed_total");
        double unauthenticated = scraped("autoglm_gateway_upgrades_refused_total{reason=\"unauthenticated\"}");
        assertThat(handshake(Map.of("Sec-WebSocket-Protocol", "cloudevents.json"))).startsWith("HTTP/1.1 401");
        assertThat(scraped("autoglm_gateway_upgrades_refused_total{reason=\"unauthenticated\"}")).isEqualTo(unauthenticated + 1);
        try (TestDevice device = device("d-acme-metered")) {
            dispatch("d-acme-metered");
            device.next(EventType.COMMAND_DISPATCHED.type(), WAIT);
            device.send("heartbeat, please");
            device.next(EventType.GATEWAY_ERROR.type(), WAIT);

            assertThat(scraped("autoglm_gateway_sockets")).isGreaterThanOrEqualTo(1);
            assertThat(scraped("autoglm_gateway_devices")).isGreaterThanOrEqualTo(1);
            assertThat(scraped("autoglm_gateway_frames_in_total")).isGreaterThanOrEqualTo(framesIn + 1);
            assertThat(scraped("autoglm_gateway_frames_out_total")).isGreaterThanOrEqualTo(framesOut + 2);
            assertThat(scraped("autoglm_gateway_frames_refused_total{reason=\"invalid-json\"}")).isEqualTo(notJson + 1);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (scraped("autoglm_gateway_commands_pushed_total") < pushed + 1 && System.nanoTime() < deadline) {
                Thread.sleep(50); // counted once the network took the frame
            }
            assertThat(scraped("autoglm_gateway_commands_pushed_total")).isEqualTo(pushed + 1);
        }
    }

    /** The value of one series at {@code /q/metrics} (0 before it appears). */
    private static double scraped(String series) {
        return given().get("/q/metrics").then().statusCode(200).extract().asString().lines().filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1))).findFirst().orElse(0);
    }

    @Test
    void readinessSaysWhatTheReplicaHolds() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'device-gateway' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'device-gateway' }.data.replica", equalTo(GatewayResource.REPLICA));
    }

    /** The answer to an upgrade request with {@code headers}, status line to body. */
    private static String handshake(Map<String, String> headers) throws Exception {
        try (RawUpgrade upgrade = RawUpgrade.open(io.restassured.RestAssured.port, headers)) {
            return upgrade.answer();
        }
    }

    /** The presence table's row of {@code deviceId}, or null (a tombstone, or none). */
    private static DevicePresence presenceRow(String deviceId) throws Exception {
        DevicePresence row = null;
        try (Reader<byte[]> reader = client.newReader(Schema.BYTES).topic(GatewayResource.topics.presence("acme"))
                .startMessageId(MessageId.earliest).create()) {
            Message<byte[]> message;
            while ((message = reader.readNext(500, TimeUnit.MILLISECONDS)) != null) {
                if (deviceId.equals(message.getKey())) {
                    byte[] value = message.getValue();
                    row = value == null || value.length == 0 ? null : EventJson.read(value, DevicePresence.class);
                }
            }
        }
        return row;
    }

    /** Every message a device's frame could have been written as: acme's heartbeats, command status and device events. */
    private static long written() throws Exception {
        long count = 0;
        for (EventFamily family : List.of(EventFamily.HEARTBEAT, EventFamily.COMMAND_STATUS, EventFamily.DEVICE)) {
            count += TopicReader.settled(client, GatewayResource.topics.events("acme", family), Duration.ofMillis(300)).size();
        }
        return count;
    }
}
