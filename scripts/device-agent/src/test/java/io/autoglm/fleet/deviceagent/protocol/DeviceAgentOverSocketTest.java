package io.autoglm.fleet.deviceagent.protocol;

import io.autoglm.fleet.deviceagent.backend.AdbBackend;
import io.autoglm.fleet.deviceagent.backend.FakeBridge;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.command.CommandAction;
import io.autoglm.fleet.events.command.CommandCompleted;
import io.autoglm.fleet.events.command.CommandDispatched;
import io.autoglm.fleet.events.command.Placement;
import io.autoglm.fleet.events.command.RoutingStrategy;
import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.events.device.DeviceDeclaration;
import io.autoglm.fleet.events.device.DeviceRecord;
import io.autoglm.fleet.events.device.DeviceRegistered;
import io.autoglm.fleet.events.device.Location;
import io.autoglm.fleet.events.device.NetworkType;
import io.autoglm.fleet.events.device.RegistrationOutcome;
import io.autoglm.fleet.events.session.DeviceCredential;
import io.autoglm.fleet.events.validation.EventValidator;
import io.cloudevents.CloudEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole agent, wired as the command line wires it: the real ADB backend (against a fake adb), the JDK
 * socket, and a WebSocket server on loopback playing the gateway's part of the protocol.
 */
class DeviceAgentOverSocketTest {

    private static final String ENROLMENT = token("{\"tenant\":\"acme\"}");
    private static final String CREDENTIAL = token("{\"tenant\":\"acme\",\"sub\":\"dev-1\"}");

    @TempDir
    Path dir;

    Vertx vertx;
    DeviceAgent agent;
    final BlockingQueue<Connection> connections = new LinkedBlockingQueue<>();

    record Connection(ServerWebSocket socket, String authorization, BlockingQueue<CloudEvent> received) {
        CloudEvent next(EventType type) throws InterruptedException {
            while (true) {
                CloudEvent event = received.poll(10, TimeUnit.SECONDS);
                assertThat(event).as("a " + type.type() + " from the agent").isNotNull();
                if (event.getType().equals(type.type())) {
                    return event;
                }
            }
        }

        void send(EventType type, Object payload) {
            socket.writeTextMessage(Frames.write(Events.newEvent(type, URI.create("/gateways/local"), "acme", null, payload).build()));
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static String token(String claims) {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        return url.encodeToString("{\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8)) + "." + url.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".s";
    }

    @Test
    void aPhoneOverAdbRegistersAndCarriesOutATap() throws Exception {
        vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setWebSocketSubProtocols(List.of("cloudevents.json")))
                .webSocketHandler(socket -> {
                    BlockingQueue<CloudEvent> received = new LinkedBlockingQueue<>();
                    socket.textMessageHandler(text -> {
                        assertThat(EventValidator.standard().validateStructured(text.getBytes(StandardCharsets.UTF_8)).isValid()).isTrue();
                        received.add(Frames.read(text));
                    });
                    connections.add(new Connection(socket, socket.headers().get("Authorization"), received));
                })
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        FakeBridge adb = FakeBridge.install(dir.resolve("adb"), "adb")
                .answer("shell wm size", "Physical size: 1080x2400\n")
                .answer("shell getprop ro.product.model", "Pixel 8\n")
                .answer("shell getprop ro.serialno", "37121FDJH004UR\n")
                .answer("shell nproc", "8\n")
                .answer("shell cat /proc/meminfo", "MemTotal: 7849164 kB\nMemAvailable: 3924582 kB\n");
        AgentSettings settings = new AgentSettings(URI.create("ws://127.0.0.1:" + server.actualPort() + "/devices/v1"), ENROLMENT, null,
                new Location("local", null), NetworkType.WIFI, Map.of(), Duration.ofSeconds(30), 2, 64, Duration.ofSeconds(10),
                Duration.ofMillis(50), Duration.ofMillis(200));
        agent = new DeviceAgent(settings, new AdbBackend(adb.options()), new JdkGatewayConnector(Duration.ofSeconds(5)),
                new StateDirectory(dir.resolve("state")), Clock.systemUTC(), bound -> bound / 2);
        agent.start();

        Connection enrolment = connections.poll(10, TimeUnit.SECONDS);
        assertThat(enrolment.authorization()).isEqualTo("Bearer " + ENROLMENT);
        CloudEvent request = enrolment.next(EventType.DEVICE_REGISTRATION_REQUESTED);
        DeviceDeclaration declaration = Events.payload(request, DeviceDeclaration.class);
        assertThat(declaration.capabilities().labels()).containsEntry("model", "Pixel 8");
        assertThat(declaration.fingerprint()).containsEntry("serial", "37121FDJH004UR");
        enrolment.send(EventType.DEVICE_REGISTERED, new DeviceRegistered(request.getId(), RegistrationOutcome.CREATED,
                new DeviceRecord("dev-1", "acme", 1, declaration.capabilities(), "cd".repeat(32), Instant.now(), Instant.now())));
        enrolment.send(EventType.DEVICE_CREDENTIAL_ISSUED, new DeviceCredential("dev-1", CREDENTIAL, Instant.now().plusSeconds(3600)));

        Connection device = connections.poll(10, TimeUnit.SECONDS);
        assertThat(device.authorization()).isEqualTo("Bearer " + CREDENTIAL);
        device.next(EventType.DEVICE_HEARTBEAT);
        Instant now = Instant.now();
        device.send(EventType.COMMAND_DISPATCHED, new CommandDispatched("cmd-tap", null, "dev-1", "acme", Placement.DEVICE,
                new CommandAction(AgentAction.TAP, Map.of("element", "[500,300]")), RoutingStrategy.LOAD_BALANCE, "test", now, now.plusSeconds(60),
                30_000L));

        device.next(EventType.COMMAND_ACCEPTED);
        CommandCompleted completed = Events.payload(device.next(EventType.COMMAND_COMPLETED), CommandCompleted.class);
        assertThat(completed.output()).isEqualTo("tapped 540,720");
        assertThat(adb.commandLines()).contains("shell input tap 540 720");
        assertThat(agent.deviceId()).isEqualTo("dev-1");
    }
}
