package io.autoglm.fleet.triggers.reliability;

import io.autoglm.fleet.deviceagent.backend.AdbBackend;
import io.autoglm.fleet.deviceagent.backend.FakeBridge;
import io.autoglm.fleet.deviceagent.protocol.AgentSettings;
import io.autoglm.fleet.deviceagent.protocol.DeviceAgent;
import io.autoglm.fleet.deviceagent.protocol.JdkGatewayConnector;
import io.autoglm.fleet.deviceagent.protocol.StateDirectory;
import io.autoglm.fleet.events.EventFamily;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.command.CommandAction;
import io.autoglm.fleet.events.command.CommandCompleted;
import io.autoglm.fleet.events.command.CommandDispatched;
import io.autoglm.fleet.events.command.Placement;
import io.autoglm.fleet.events.command.RoutingStrategy;
import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.events.device.DeviceHeartbeat;
import io.autoglm.fleet.events.device.Location;
import io.autoglm.fleet.events.device.NetworkType;
import io.autoglm.fleet.events.pulsar.PulsarEventPublisher;
import io.autoglm.fleet.events.pulsar.PulsarMessageFactory;
import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.events.testing.PulsarEndpoints;
import io.autoglm.fleet.events.testing.SharedPulsarBroker;
import io.autoglm.fleet.modelstore.testing.Screenshots;
import io.autoglm.fleet.simulator.TenantTokens;
import io.autoglm.fleet.triggers.testing.TestNamespaces;
import io.cloudevents.CloudEvent;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.SubscriptionInitialPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The device agent as it runs beside a phone, on a fake {@code adb} (the only stand-in), against the real device gateway,
 * the real registry function behind the real trigger dispatcher, and the real broker: it enrols with the tenant's token,
 * the registry registers it, the gateway issues its credential, it comes back as itself and heartbeats; commands the
 * router would write reach the phone as the exact {@code adb} command lines, and their results come back on the bus, an
 * observation's screenshot as a claim check on a stored PNG.
 */
class DeviceAgentIT {

    private static final String TENANT = "acme";

    @TempDir
    Path dir;

    @Test
    void aPhoneOnAdbEnrolsThroughTheGatewayAndCarriesOutCommandsFromTheBus() throws Exception {
        PulsarEndpoints endpoints = SharedPulsarBroker.endpoints();
        Topics topics = TestNamespaces.create(endpoints, "device-agent");
        Path logs = BridgeApp.REPO.resolve("triggers/reliability/target/device-agent-it");
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        List<AutoCloseable> running = new ArrayList<>();
        try (PulsarClient client = endpoints.clientBuilder().build();
             Consumer<byte[]> heartbeats = watch(client, topics.events(TENANT, EventFamily.HEARTBEAT));
             Consumer<byte[]> statuses = watch(client, topics.events(TENANT, EventFamily.COMMAND_STATUS));
             PulsarEventPublisher publisher = new PulsarEventPublisher(client, topics)) {
            BridgeApp registry = BridgeApp.function("registry", endpoints.serviceUrl(), topics.namespace(), Map.of(), logs).start();
            running.add(registry);
            running.add(BridgeApp.dispatcher(endpoints.serviceUrl(), topics.namespace(), BridgeApp.REPO.resolve("knative/base/triggers/triggers.yaml"),
                    Map.of("registry", URI.create(registry.url())), Map.of("autoglm.dispatcher.skip", "heartbeat,router,commands,inference"), logs)
                    .start());
            BridgeApp gateway = BridgeApp.gateway(endpoints.serviceUrl(), topics.namespace(), "gateway-0",
                    Base64.getEncoder().encodeToString(secret), Map.of(), logs).start();
            running.add(gateway);

            byte[] screen = Screenshots.png(7, 108, 240);
            FakeBridge adb = FakeBridge.install(dir.resolve("adb"), "adb")
                    .answer("shell wm size", "Physical size: 1080x2400\n")
                    .answer("shell getprop ro.product.model", "Pixel 8\n")
                    .answer("shell getprop ro.serialno", "37121FDJH004UR\n")
                    .answer("shell nproc", "8\n")
                    .answer("shell cat /proc/meminfo", "MemTotal: 7849164 kB\nMemAvailable: 3924582 kB\n")
                    .answer("exec-out screencap -p", screen)
                    .answer("shell dumpsys window", "  mCurrentFocus=Window{1 u0 com.android.settings/.Settings}\n");
            String token = new TenantTokens(TenantTokens.readPrivateKey(BridgeApp.SIGNING_KEY.privateKey()), Duration.ofHours(1)).token(TENANT);
            AgentSettings settings = new AgentSettings(gateway.devicesUri(), token, null, new Location("local", null), NetworkType.WIFI,
                    Map.of(), Duration.ofSeconds(1), 2, 64, Duration.ofSeconds(20), Duration.ofMillis(200), Duration.ofSeconds(2));
            DeviceAgent agent = new DeviceAgent(settings, new AdbBackend(adb.options()), new JdkGatewayConnector(Duration.ofSeconds(5)),
                    new StateDirectory(dir.resolve("state")), Clock.systemUTC(), bound -> bound / 2);
            running.add(0, agent);
            agent.start();

            CloudEvent beat = next(heartbeats, event -> event.getType().equals(EventType.DEVICE_HEARTBEAT.type()), Duration.ofSeconds(90));
            String deviceId = Events.payload(beat, DeviceHeartbeat.class).deviceId();
            assertThat(deviceId).as("the registry's id, from the credential the gateway issued").isEqualTo(agent.deviceId());
            assertThat(Events.tenant(beat)).isEqualTo(TENANT);
            assertThat(Events.partitionKey(beat)).isEqualTo(deviceId);

            dispatch(publisher, topics, deviceId, "it-tap", new CommandAction(AgentAction.TAP, Map.of("element", "[500,300]")));
            CommandCompleted tapped = completed(statuses, "it-tap");
            assertThat(tapped.output()).isEqualTo("tapped 540,720");
            assertThat(adb.commandLines()).contains("shell input tap 540 720");

            dispatch(publisher, topics, deviceId, "it-observe", new CommandAction(AgentAction.OBSERVE, Map.of()));
            CommandCompleted observed = completed(statuses, "it-observe");
            assertThat(observed.observation().inline()).as("no image on the bus").isFalse();
            assertThat(observed.observation().screenshot().sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(screen)));
            assertThat(observed.observation().screenshot().width()).isEqualTo(108);
            assertThat(observed.observation().currentApp()).isNotBlank();
            assertThat(Files.readAllBytes(Path.of(observed.observation().screenshot().uri()))).isEqualTo(screen);
            assertThat(adb.commandLines()).contains("exec-out screencap -p");
        } finally {
            for (AutoCloseable each : running) {
                each.close();
            }
        }
    }

    private static void dispatch(PulsarEventPublisher publisher, Topics topics, String deviceId, String id, CommandAction action) {
        Instant now = Instant.now();
        CommandDispatched command = new CommandDispatched(id, null, deviceId, TENANT, Placement.DEVICE, action, RoutingStrategy.LOAD_BALANCE,
                "test", now, now.plusSeconds(60), 30_000L);
        publisher.publish(topics.events(TENANT, EventFamily.DEVICE_COMMAND),
                Events.newEvent(EventType.COMMAND_DISPATCHED, URI.create("/tests/agent"), TENANT, deviceId, command).withId(id).build()).join();
    }

    private static CommandCompleted completed(Consumer<byte[]> statuses, String commandId) throws Exception {
        CloudEvent event = next(statuses, e -> e.getType().equals(EventType.COMMAND_COMPLETED.type())
                && Events.payload(e, CommandCompleted.class).commandId().equals(commandId), Duration.ofSeconds(30));
        return Events.payload(event, CommandCompleted.class);
    }

    private static Consumer<byte[]> watch(PulsarClient client, String topic) throws Exception {
        return client.newConsumer(Schema.BYTES).topic(topic).subscriptionName("device-agent-it")
                .subscriptionInitialPosition(SubscriptionInitialPosition.Earliest).subscribe();
    }

    private static CloudEvent next(Consumer<byte[]> consumer, Predicate<CloudEvent> wanted, Duration timeout) throws Exception {
        long until = System.nanoTime() + timeout.toNanos();
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < until) {
            Message<byte[]> message = consumer.receive(500, TimeUnit.MILLISECONDS);
            if (message == null) {
                continue;
            }
            consumer.acknowledge(message);
            CloudEvent event = PulsarMessageFactory.createReader(message).toEvent();
            if (wanted.test(event)) {
                return event;
            }
            seen.add(event.getType() + " " + new String(event.getData().toBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
        throw new AssertionError("nothing wanted on " + consumer.getTopic() + " within " + timeout + "; seen: " + seen);
    }
}
