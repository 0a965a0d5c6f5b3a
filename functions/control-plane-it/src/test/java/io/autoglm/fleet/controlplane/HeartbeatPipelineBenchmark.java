package io.autoglm.fleet.controlplane;

import io.autoglm.fleet.events.EventFamily;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.device.Battery;
import io.autoglm.fleet.events.device.DeviceHeartbeat;
import io.autoglm.fleet.events.device.DeviceLoad;
import io.autoglm.fleet.events.device.DeviceRecord;
import io.autoglm.fleet.events.fixtures.SamplePayloads;
import io.autoglm.fleet.events.pulsar.PulsarEventPublisher;
import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.events.testing.PulsarEndpoints;
import io.autoglm.fleet.events.testing.RealPulsarExtension;
import io.autoglm.fleet.state.FleetState;
import io.autoglm.fleet.state.StateTable;
import io.autoglm.fleet.triggers.dispatch.TriggerSubscription;
import io.autoglm.fleet.triggers.dispatch.HttpSubscriberClient;
import io.autoglm.fleet.triggers.ingress.EventIngress;
import io.autoglm.fleet.triggers.knative.Trigger;
import io.autoglm.fleet.triggers.testing.TestNamespaces;
import io.vertx.core.Vertx;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.SubscriptionInitialPosition;
import org.apache.pulsar.client.api.SubscriptionType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Heartbeats per second through the real broker, the trigger dispatcher and the HTTP heartbeat function, against a
 * raw Key_Shared consumer reading the same backlog in the same run: each round publishes a backlog of
 * heartbeats of registered devices, drains it twice with the raw consumer (receive + acknowledge; the better run
 * counts) and once
 * through a {@link TriggerSubscription} of the fleet's heartbeat Trigger ({@link HttpSubscriberClient}, as the
 * dispatcher runs it) into the function (filter, POST, evaluation, deadlines written, acknowledge). The round's
 * Trigger reads the heartbeat topics only, so the deadlines the function writes are not delivered back during it.
 * Everything shares this machine: broker, function, dispatcher and load generator.
 *
 * <p>The first {@code bench.warmup} rounds are not counted: a fresh function JVM spends its first tens of
 * thousands of requests compiling (JIT) the HTTP and JSON paths, as JMH's warm-up iterations account for.
 *
 * <p>Not part of the suite (its name matches no failsafe pattern); {@code scripts/bench-control-plane} runs it.
 * Sizes: {@code -Dbench.devices} (2000), {@code -Dbench.heartbeats} per round (50000), {@code -Dbench.warmup} (1),
 * {@code -Dbench.rounds} (3).
 */
@ExtendWith(RealPulsarExtension.class)
class HeartbeatPipelineBenchmark {

    private static final int DEVICES = Integer.getInteger("bench.devices", 2000);
    private static final int HEARTBEATS = Integer.getInteger("bench.heartbeats", 50_000);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 1);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    private static final Path REPORT = Path.of(System.getProperty("control-plane.report", "target/control-plane"));
    private static final URI SOURCE = URI.create("/bench/devices");

    @Test
    void heartbeatsThroughTheFunctionAgainstARawKeySharedConsumer(PulsarEndpoints endpoints) throws Exception {
        Topics topics = TestNamespaces.create(endpoints, "heartbeat-bench");
        Trigger heartbeatTrigger = ControlPlane.fleetTriggers(List.of("heartbeat")).get(0);
        String tenant = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        String topic = topics.events(tenant, EventFamily.HEARTBEAT);
        String[] devices = new String[DEVICES];
        long[] seqs = new long[DEVICES];
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "%d devices, %d heartbeats per round, %d warm-up + %d measured rounds, %d cores, %s, function JVM options: %s%n",
                DEVICES, HEARTBEATS, WARMUP, ROUNDS, Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"),
                FunctionProcess.jvmOptions("heartbeat")));
        Vertx vertx = Vertx.vertx();
        try (PulsarClient client = endpoints.clientBuilder().build();
             PulsarEventPublisher publisher = new PulsarEventPublisher(client, topics);
             FleetState state = FleetState.onPulsar(client, topics)) {
            StateTable<DeviceRecord> registry = state.registry().table(tenant).join();
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            DeviceRecord sample = SamplePayloads.record();
            for (int d = 0; d < DEVICES; d++) {
                devices[d] = "d-" + tenant + "-" + d;
                writes.add(registry.put(devices[d], new DeviceRecord(devices[d], tenant, 1, sample.capabilities(), sample.fingerprintDigest(),
                        sample.registeredAt(), sample.updatedAt())));
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();

            EventIngress ingress = new EventIngress(topics, publisher, null, Duration.ofSeconds(10));
            try (FunctionProcess heartbeat = FunctionProcess.start("heartbeat", Map.of("autoglm.pulsar.service-url", endpoints.serviceUrl(),
                    "autoglm.pulsar.namespace", topics.namespace()), REPORT.resolve("logs"))) {
                long idleRss = heartbeat.residentMegabytes();
                List<Double> ratios = new ArrayList<>();
                long peakRss = idleRss;
                for (int round = 1 - WARMUP; round <= ROUNDS; round++) {
                    List<String> raws = List.of("raw-" + (round + WARMUP), "raw-again-" + (round + WARMUP));
                    Trigger trigger = new Trigger(heartbeatTrigger.namespace(), heartbeatTrigger.name() + "-" + (round + WARMUP),
                            heartbeatTrigger.broker(), heartbeatTrigger.filter(), heartbeatTrigger.subscriber(), heartbeatTrigger.delivery(),
                            Set.of(EventFamily.HEARTBEAT));
                    for (String subscription : List.of(raws.get(0), raws.get(1), trigger.subscriptionName())) {
                        client.newConsumer(Schema.BYTES).topic(topic).subscriptionName(subscription).subscriptionType(SubscriptionType.Key_Shared)
                                .subscriptionInitialPosition(SubscriptionInitialPosition.Latest).subscribe().close();
                    }
                    List<CompletableFuture<Void>> sends = new ArrayList<>(HEARTBEATS);
                    for (int i = 0; i < HEARTBEATS; i++) {
                        int d = i % DEVICES;
                        DeviceHeartbeat beat = new DeviceHeartbeat(devices[d], ++seqs[d], Instant.now(), new DeviceLoad(0.3, 0.4, null, 1),
                                new Battery(0.8, false), 35.0);
                        sends.add(publisher.publish(Events.newEvent(EventType.DEVICE_HEARTBEAT, SOURCE, tenant, devices[d], beat).build()));
                    }
                    CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();

                    // the baseline drains the backlog twice and keeps its better run: a busy moment on the shared machine
                    // should not flatter the ratio
                    double rawRate = Math.max(drainRaw(client, topic, raws.get(0)), drainRaw(client, topic, raws.get(1)));
                    long settled;
                    Duration functionCpu = heartbeat.cpuTime();
                    Duration ownCpu = ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
                    long started = System.nanoTime();
                    try (TriggerSubscription dispatching = TriggerSubscription.start(client, topics, trigger, heartbeat.url(),
                            new HttpSubscriberClient(vertx, ControlPlane.DISPATCH.concurrency(), Duration.ofSeconds(2)), ingress,
                            ControlPlane.DISPATCH).get(60, TimeUnit.SECONDS)) {
                        while ((settled = dispatching.stats().delivered() + dispatching.stats().deadLettered()) < HEARTBEATS) {
                            Thread.sleep(20);
                            if (settled > HEARTBEATS / 2) {
                                peakRss = Math.max(peakRss, heartbeat.residentMegabytes());
                            }
                        }
                        assertThat(dispatching.stats().deadLettered()).as("heartbeats dead-lettered").isZero();
                    }
                    double functionRate = HEARTBEATS / ((System.nanoTime() - started) / 1e9);
                    double functionCpuUs = heartbeat.cpuTime().minus(functionCpu).toNanos() / 1e3 / HEARTBEATS;
                    double dispatcherCpuUs = ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).minus(ownCpu).toNanos() / 1e3
                            / HEARTBEATS;
                    if (round > 0) {
                        ratios.add(functionRate / rawRate);
                    }
                    text.append(String.format(Locale.ROOT, "%s: raw Key_Shared consumer %.0f heartbeats/s; dispatcher + heartbeat function %.0f/s;"
                            + " ratio %.3f; CPU per heartbeat: function %.0f us, dispatcher (this JVM) %.0f us (load average %s)%n",
                            round > 0 ? "round " + round : "warm-up", rawRate, functionRate, functionRate / rawRate, functionCpuUs, dispatcherCpuUs,
                            Files.readString(Path.of("/proc/loadavg")).trim()));
                }
                ratios.sort(Double::compare);
                text.append(String.format(Locale.ROOT, "median ratio %.3f; heartbeat function RSS idle %d MB, draining %d MB%n",
                        ratios.get(ratios.size() / 2), idleRss, peakRss));
                text.append("heartbeat function: ").append(heartbeat.readiness().replaceAll("\\s+", " ")).append('\n');
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
        Files.createDirectories(REPORT);
        Files.writeString(REPORT.resolve("heartbeat-pipeline-benchmark.txt"), text);
        System.out.print(text);
    }

    /** Receives and acknowledges the whole backlog on one Key_Shared consumer; heartbeats per second. */
    private static double drainRaw(PulsarClient client, String topic, String subscription) throws Exception {
        try (Consumer<byte[]> consumer = client.newConsumer(Schema.BYTES).topic(topic).subscriptionName(subscription)
                .subscriptionType(SubscriptionType.Key_Shared).receiverQueueSize(2000).subscribe()) {
            long started = System.nanoTime();
            for (int received = 0; received < HEARTBEATS; received++) {
                Message<byte[]> message = consumer.receive(30, TimeUnit.SECONDS);
                assertThat(message).as("backlog message %d", received).isNotNull();
                consumer.acknowledgeAsync(message);
            }
            return HEARTBEATS / ((System.nanoTime() - started) / 1e9);
        }
    }
}
