package io.autoglm.fleet.simulator;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.command.CommandAction;
import io.autoglm.fleet.events.command.CommandCompleted;
import io.autoglm.fleet.events.command.CommandDispatched;
import io.autoglm.fleet.events.command.Placement;
import io.autoglm.fleet.events.command.RoutingStrategy;
import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.events.device.DeviceRecord;
import io.autoglm.fleet.events.device.DeviceRegistered;
import io.autoglm.fleet.events.device.RegistrationOutcome;
import io.autoglm.fleet.events.session.DeviceCredential;
import io.autoglm.fleet.events.validation.EventValidator;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulated devices' sockets against a stand-in gateway on loopback: the protocol as a device agent speaks it. */
class GatewayLinksTest {

    private static final EventFormat JSON = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);

    private Vertx vertx;
    private HttpServer server;
    private final BlockingQueue<ServerWebSocket> sockets = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> authorizations = new LinkedBlockingQueue<>();
    private final BlockingQueue<CloudEvent> received = new LinkedBlockingQueue<>();
    private GatewayLinks links;
    private FleetStatus status;

    @BeforeEach
    void gateway() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).addWebSocketSubProtocol(GatewayLinks.SUBPROTOCOL))
                .webSocketHandler(socket -> {
                    authorizations.add(socket.headers().get("Authorization"));
                    authorizations.add("protocol " + socket.headers().get("Sec-WebSocket-Protocol"));
                    socket.textMessageHandler(text -> received.add(JSON.deserialize(text.getBytes(StandardCharsets.UTF_8))));
                    sockets.add(socket);
                });
        server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        status = new FleetStatus();
        links = new GatewayLinks(List.of(URI.create("ws://127.0.0.1:" + server.actualPort() + "/devices/v1")),
                new TenantTokens(generator.generateKeyPair().getPrivate(), Duration.ofMinutes(5)), status, new CommandExecution(1, 0));
    }

    @AfterEach
    void stop() throws Exception {
        links.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aDeviceRegistersOnItsSocketReconnectsWithItsCredentialAndRunsEachCommandOnce() throws Exception {
        SimulatedFleet fleet = new SimulatedFleet(1, List.of("acme"), FleetBehaviour.DEFAULT, 1, Instant.now(), false, true);
        SimulatedDevice device = fleet.devices().get(0);
        CloudEvent registration = Events.newEvent(EventType.DEVICE_REGISTRATION_REQUESTED, URI.create("/devices/acme/x"), "acme",
                device.serial(), device.declaration()).withId("reg-1").build();
        links.send(device, registration);

        ServerWebSocket first = sockets.poll(10, TimeUnit.SECONDS);
        assertThat(authorizations.poll(1, TimeUnit.SECONDS)).startsWith("Bearer ey");
        assertThat(authorizations.poll(1, TimeUnit.SECONDS)).isEqualTo("protocol " + GatewayLinks.SUBPROTOCOL);
        CloudEvent sent = received.poll(10, TimeUnit.SECONDS);
        assertThat(sent.getType()).isEqualTo(EventType.DEVICE_REGISTRATION_REQUESTED.type());
        assertThat(EventValidator.standard().validateStructured(JSON.serialize(sent)).problems()).isEmpty();

        DeviceRecord record = new DeviceRecord("d-acme-1", "acme", 1, device.declaration().capabilities(), "f", Instant.now(), Instant.now());
        first.writeTextMessage(text(EventType.DEVICE_REGISTERED, new DeviceRegistered("reg-1", RegistrationOutcome.CREATED, record)));
        first.writeTextMessage(text(EventType.DEVICE_CREDENTIAL_ISSUED, new DeviceCredential("d-acme-1", "device-token", null)));
        GatewayLinks.Enrolled enrolled = poll(links::nextEnrolled);
        assertThat(enrolled).isEqualTo(new GatewayLinks.Enrolled(device, "d-acme-1"));
        fleet.enrolled(device, "d-acme-1", Instant.now());
        assertThat(device.deviceId()).isEqualTo("d-acme-1");

        // the enrolment connection only registers: the device comes back as itself
        ServerWebSocket second = sockets.poll(20, TimeUnit.SECONDS);
        assertThat(second).isNotNull();
        assertThat(authorizations.poll(1, TimeUnit.SECONDS)).isEqualTo("Bearer device-token");
        assertThat(authorizations.poll(1, TimeUnit.SECONDS)).isEqualTo("protocol " + GatewayLinks.SUBPROTOCOL);
        first = second;

        CommandDispatched observe = new CommandDispatched("cmd-1", null, "d-acme-1", "acme", Placement.DEVICE,
                new CommandAction(AgentAction.OBSERVE, Map.of()), RoutingStrategy.LOAD_BALANCE, "test", Instant.now(), null);
        first.writeTextMessage(text(EventType.COMMAND_DISPATCHED, observe));
        first.writeTextMessage(text(EventType.COMMAND_DISPATCHED, observe)); // delivered twice: run once
        assertThat(received.poll(10, TimeUnit.SECONDS).getType()).isEqualTo(EventType.COMMAND_ACCEPTED.type());
        CloudEvent completed = received.poll(10, TimeUnit.SECONDS);
        assertThat(completed.getType()).isEqualTo(EventType.COMMAND_COMPLETED.type());
        CommandCompleted result = Events.payload(completed, CommandCompleted.class);
        assertThat(result.observation().inline()).isTrue();
        assertThat(EventValidator.standard().validateStructured(JSON.serialize(completed)).problems()).isEmpty();
        assertThat(received.poll(500, TimeUnit.MILLISECONDS)).isNull();
        assertThat(status.snapshot().gateway().duplicates()).isEqualTo(1);

        first.close((short) 1001, "going away");
        ServerWebSocket third = sockets.poll(20, TimeUnit.SECONDS);
        assertThat(third).isNotNull();
        assertThat(authorizations.poll(1, TimeUnit.SECONDS)).isEqualTo("Bearer device-token");
    }

    private static String text(EventType type, Object payload) {
        return new String(JSON.serialize(Events.newEvent(type, URI.create("/gateway/test"), "acme", null, payload).build()), StandardCharsets.UTF_8);
    }

    private static <T> T poll(java.util.function.Supplier<T> next) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        T value;
        while ((value = next.get()) == null && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        return value;
    }
}
