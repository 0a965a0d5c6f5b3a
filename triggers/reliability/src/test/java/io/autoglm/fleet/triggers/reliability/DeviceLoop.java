package io.autoglm.fleet.triggers.reliability;

import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.command.CommandAction;
import io.autoglm.fleet.events.command.CommandDispatched;
import io.autoglm.fleet.events.command.CommandRecord;
import io.autoglm.fleet.events.command.Placement;
import io.autoglm.fleet.events.command.RoutingStrategy;
import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.events.pulsar.PulsarEventPublisher;
import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.events.testing.PulsarEndpoints;
import io.autoglm.fleet.events.testing.SharedPulsarBroker;
import io.autoglm.fleet.triggers.testing.TestNamespaces;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.Reader;
import org.apache.pulsar.client.api.Schema;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The device loop on the build's shared broker, as processes, started once for every test of the run that needs it (each
 * test takes a tenant of its own): two device gateway replicas, the commands function, and the dispatcher with the
 * cluster's Triggers ({@code knative/base/triggers/triggers.yaml}) of which only {@code commands} runs. Commands are written
 * to a tenant's command topic as the router writes them; their outcomes are read from the tenant's command state table.
 */
final class DeviceLoop implements AutoCloseable {

    static final Path WORK = BridgeApp.REPO.resolve("triggers/reliability/target/device-loop");
    /** The Triggers of knative/base/triggers not run here: their functions are not started. */
    private static final String SKIPPED = "registry,heartbeat,router,inference";
    private static DeviceLoop shared;

    final PulsarEndpoints endpoints;
    final Topics topics;
    final byte[] secret = new byte[32];
    final List<BridgeApp> gateways = new ArrayList<>();
    final BridgeApp commands;
    final BridgeApp dispatcher;
    final PulsarClient client;
    final PulsarEventPublisher publisher;

    /** The loop of this test run, started on first use and stopped when the test JVM exits. */
    static synchronized DeviceLoop shared() throws Exception {
        if (shared == null) {
            shared = new DeviceLoop();
            DeviceLoop started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close));
        }
        return shared;
    }

    private DeviceLoop() throws Exception {
        endpoints = SharedPulsarBroker.endpoints();
        topics = TestNamespaces.create(endpoints, "device-loop");
        new SecureRandom().nextBytes(secret);
        String encoded = Base64.getEncoder().encodeToString(secret);
        Path logs = WORK.resolve(topics.namespace().replace('/', '-'));
        // a dead socket is found by its closing (kill -9 closes it at the kernel); pings stay as they are
        for (int replica = 0; replica < 2; replica++) {
            gateways.add(BridgeApp.gateway(endpoints.serviceUrl(), topics.namespace(), "device-gateway-" + replica, encoded, Map.of(), logs));
        }
        commands = BridgeApp.commands(endpoints.serviceUrl(), topics.namespace(), Map.of(), logs);
        List<BridgeApp> first = new ArrayList<>(gateways);
        first.add(commands);
        startAll(first);
        dispatcher = BridgeApp.dispatcher(endpoints.serviceUrl(), topics.namespace(), BridgeApp.REPO.resolve("knative/base/triggers/triggers.yaml"),
                Map.of("commands", URI.create(commands.url())), Map.of("autoglm.dispatcher.skip", SKIPPED), logs).start();
        client = PulsarClient.builder().serviceUrl(endpoints.serviceUrl()).build();
        publisher = new PulsarEventPublisher(client, topics);
    }

    /** Starts the applications side by side and waits until each is ready. */
    static void startAll(Collection<BridgeApp> apps) throws Exception {
        List<CompletableFuture<Void>> starting = new ArrayList<>();
        for (BridgeApp app : apps) {
            starting.add(CompletableFuture.runAsync(() -> {
                try {
                    app.start();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new)).get(3, TimeUnit.MINUTES);
    }

    List<URI> devicesUris() {
        return gateways.stream().map(BridgeApp::devicesUri).toList();
    }

    DeviceSwarm swarm(String tenant, int count, DeviceSwarm.Behaviour behaviour, String prefix) {
        return new DeviceSwarm(devicesUris(), tenant, secret, count, behaviour, prefix);
    }

    /** Writes {@code command.dispatched} for {@code deviceId} as the router does, with its TTL and execution timeout. */
    CompletableFuture<Void> dispatch(String tenant, String deviceId, String commandId, Duration ttl, Duration timeout) {
        Instant now = Instant.now();
        CommandDispatched dispatched = new CommandDispatched(commandId, null, deviceId, tenant, Placement.DEVICE,
                new CommandAction(AgentAction.HOME, Map.of()), RoutingStrategy.LOAD_BALANCE, "reliability test", now, now.plus(ttl),
                timeout.toMillis());
        return publisher.publish(Events.newEvent(EventType.COMMAND_DISPATCHED, URI.create("/reliability"), tenant, deviceId, dispatched)
                .build());
    }

    /** Follows a tenant's command state table from its start: each command's latest record. */
    CommandStates states(String tenant) throws PulsarClientException {
        return new CommandStates(client.newReader(Schema.BYTES).topic(topics.commandState(tenant)).startMessageId(MessageId.earliest));
    }

    /** The latest record of every command in one tenant's command state table, kept current by a reader. */
    static final class CommandStates implements AutoCloseable {
        private final Map<String, CommandRecord> latest = new ConcurrentHashMap<>();
        private final Reader<byte[]> reader;

        private CommandStates(org.apache.pulsar.client.api.ReaderBuilder<byte[]> builder) throws PulsarClientException {
            reader = builder.readerListener((r, message) -> {
                if (message.hasKey() && message.getData() != null && message.getData().length > 0) {
                    latest.put(message.getKey(), EventJson.read(message.getData(), CommandRecord.class));
                }
            }).create();
        }

        Optional<CommandRecord> of(String commandId) {
            return Optional.ofNullable(latest.get(commandId));
        }

        /** Waits until every command of {@code ids} has a terminal state, or the timeout; returns their records as they are then. */
        Map<String, CommandRecord> awaitTerminal(Collection<String> ids, Duration timeout) throws InterruptedException {
            long until = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < until && !ids.stream().allMatch(id -> of(id).map(r -> r.state().terminal()).orElse(false))) {
                Thread.sleep(100);
            }
            Map<String, CommandRecord> records = new LinkedHashMap<>();
            ids.forEach(id -> records.put(id, latest.get(id)));
            return records;
        }

        /** How many of {@code records} are in each state ({@code null}: no record at all). */
        static Map<String, Long> byState(Map<String, CommandRecord> records) {
            Map<String, Long> counts = new LinkedHashMap<>();
            records.values().forEach(r -> counts.merge(r == null ? "no record" : r.state().name(), 1L, Long::sum));
            return counts;
        }

        @Override
        public void close() throws java.io.IOException {
            reader.close();
        }
    }

    @Override
    public synchronized void close() {
        try {
            publisher.close();
            client.close();
        } catch (Exception e) {
            // the broker may be gone already at JVM exit
        }
        dispatcher.close();
        commands.close();
        gateways.forEach(BridgeApp::close);
    }
}
