package io.autoglm.fleet.triggers.reliability;

import io.autoglm.fleet.events.EventFamily;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.command.CommandAction;
import io.autoglm.fleet.events.command.CommandDispatched;
import io.autoglm.fleet.events.command.Placement;
import io.autoglm.fleet.events.command.RoutingStrategy;
import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.events.pulsar.PulsarEventPublisher;
import io.autoglm.fleet.events.pulsar.PulsarMessageFactory;
import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.events.testing.PulsarEndpoints;
import io.autoglm.fleet.pulsar.local.PulsarStandalone;
import io.autoglm.fleet.triggers.testing.TestNamespaces;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.SubscriptionInitialPosition;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The device gateway at fleet scale, on one machine: {@code devices} sockets (default 10,000) from this process (the load
 * generator, a JVM of its own) to one gateway process, its RSS idle and with every device connected; then commands at
 * {@code rate}/s (default 1,000) spread over the devices, written to the tenant's device-commands topic as the router
 * writes them: latency from the command written to Pulsar ({@code dispatchedAt}) to its frame at the device, against a
 * raw Pulsar consumer of the same topic in the same run (produce to receive), as the baseline; the gateway's added
 * p50/p99 are the difference. Arguments: {@code [devices] [seconds of pushing per round] [rounds] [rate]}.
 */
public final class GatewayBenchmark {

    private static final String TENANT = "bench";

    private GatewayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int devices = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int rate = args.length > 3 ? Integer.parseInt(args[3]) : 1_000;
        Path work = BridgeApp.REPO.resolve("target/bench/gateway");
        PulsarStandalone.deleteTree(work);
        PulsarStandalone broker = PulsarStandalone.in(Path.of(System.getProperty("pulsar.distribution.dir")), work.resolve("broker"));
        broker.start(Duration.ofMinutes(3));
        Runtime.getRuntime().addShutdownHook(new Thread(broker::stop));
        List<String> report = new ArrayList<>();
        report.add(String.format(Locale.ROOT, "Gateway benchmark: %d cores, %s, load %s; %,d devices, %,d commands/s, %d s per round",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                Files.readString(Path.of("/proc/loadavg")).trim(), devices, rate, seconds));
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        try (PulsarClient client = PulsarClient.builder().serviceUrl(broker.serviceUrl()).build()) {
            PulsarEndpoints endpoints = new PulsarEndpoints(broker.serviceUrl(), broker.adminUrl(), PulsarEndpoints.Origin.EXTERNAL);
            Topics topics = TestNamespaces.create(endpoints, "gateway-bench");
            String topic = topics.events(TENANT, EventFamily.DEVICE_COMMAND);
            BridgeApp gateway = BridgeApp.gateway(broker.serviceUrl(), topics.namespace(), "gateway-0",
                    Base64.getEncoder().encodeToString(secret), Map.of(), work).start();
            try (PulsarEventPublisher publisher = new PulsarEventPublisher(client, topics);
                 DeviceSwarm swarm = new DeviceSwarm(List.of(gateway.devicesUri()), TENANT, secret, devices, false);
                 Consumer<byte[]> raw = client.newConsumer(Schema.BYTES).topic(topic).subscriptionName("bench-raw")
                         .subscriptionInitialPosition(SubscriptionInitialPosition.Latest).subscribe()) {
                Thread.sleep(5_000);
                double idle = gateway.rssMib();
                long connectStart = System.nanoTime();
                swarm.connect(2_000);
                boolean all = swarm.awaitOpen(devices, Duration.ofMinutes(3));
                double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
                Thread.sleep(10_000);
                double connected = gateway.rssMib();
                report.add(String.format(Locale.ROOT, "connections: %,d of %,d open in %.1f s%s; gateway RSS idle %.0f MiB, with every device connected"
                                + " %.0f MiB: %.1f KiB per connection (target <= 300 MB at 10,000)", swarm.open(), devices, connectSeconds,
                        all ? "" : " (NOT ALL)", idle, connected, (connected - idle) * 1024 / Math.max(1, swarm.open())));
                report.add("");
                report.add("| round | commands sent | at devices | raw consumer | gateway p50 / p99 (ms) | raw p50 / p99 (ms) | added p50 / p99 (ms) | gateway RSS peak (MiB) |");
                report.add("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
                List<String> ids = swarm.deviceIds();
                for (int round = 1; round <= rounds; round++) {
                    Samples atDevices = new Samples();
                    Samples atRaw = new Samples();
                    swarm.onArrival(arrival -> atDevices.add(arrival.micros() / 1000.0));
                    AtomicBoolean pushing = new AtomicBoolean(true);
                    Thread rawReader = rawReader(raw, atRaw, pushing);
                    AtomicLong peak = new AtomicLong();
                    long sent = push(publisher, topic, ids, rate, Duration.ofSeconds(seconds), round, () ->
                            peak.accumulateAndGet(Math.round(gateway.rssMib()), Math::max));
                    Thread.sleep(3_000);
                    pushing.set(false);
                    rawReader.join();
                    report.add(String.format(Locale.ROOT, "| %d | %,d | %,d | %,d | %.1f / %.1f | %.1f / %.1f | %.1f / %.1f | %d |", round, sent,
                            atDevices.count(), atRaw.count(), atDevices.percentile(0.5), atDevices.percentile(0.99), atRaw.percentile(0.5),
                            atRaw.percentile(0.99), atDevices.percentile(0.5) - atRaw.percentile(0.5),
                            atDevices.percentile(0.99) - atRaw.percentile(0.99), peak.get()));
                    System.out.println(report.get(report.size() - 1));
                }
                report.add("");
                report.add(String.format(Locale.ROOT, "duplicates at devices: %,d; reconnects: %,d", swarm.duplicates(), swarm.connects() - devices));
            } finally {
                gateway.close();
            }
        } finally {
            broker.stop();
        }
        Path out = BridgeApp.REPO.resolve("target/bench/gateway-" + System.currentTimeMillis() + ".md");
        Files.writeString(out, String.join("\n", report) + "\n");
        report.forEach(System.out::println);
        System.out.println("written to " + out);
        System.exit(0);
    }

    /** Writes command.dispatched events at {@code rate}/s for {@code span}, round-robin over the devices; returns how many. */
    private static long push(PulsarEventPublisher publisher, String topic, List<String> devices, int rate, Duration span, int round,
            Runnable sample) throws Exception {
        long start = System.nanoTime();
        long end = start + span.toNanos();
        long sent = 0;
        long nextSample = start;
        while (System.nanoTime() < end) {
            long due = start + sent * TimeUnit.SECONDS.toNanos(1) / rate;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            String device = devices.get((int) (sent % devices.size()));
            String id = "bench-" + round + "-" + sent;
            CommandDispatched command = new CommandDispatched(id, null, device, TENANT, Placement.DEVICE,
                    new CommandAction(AgentAction.TAP, Map.of("element", "[500,500]")), RoutingStrategy.LOAD_BALANCE, "benchmark", Instant.now(), null);
            publisher.publish(topic, Events.newEvent(EventType.COMMAND_DISPATCHED, URI.create("/bench"), TENANT, device, command).withId(id).build());
            sent++;
            if (System.nanoTime() >= nextSample) {
                sample.run();
                nextSample = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            }
        }
        return sent;
    }

    private static Thread rawReader(Consumer<byte[]> raw, Samples log, AtomicBoolean running) {
        Thread thread = new Thread(() -> {
            while (running.get()) {
                try {
                    Message<byte[]> message = raw.receive(100, TimeUnit.MILLISECONDS);
                    if (message == null) {
                        continue;
                    }
                    Instant now = Instant.now();
                    CommandDispatched command = Events.payload(PulsarMessageFactory.createReader(message).toEvent(), CommandDispatched.class);
                    log.add(Duration.between(command.dispatchedAt(), now).toNanos() / 1e6);
                    raw.acknowledgeAsync(message);
                } catch (Exception e) {
                    return;
                }
            }
        }, "raw-consumer");
        thread.start();
        return thread;
    }

    /** Latencies in milliseconds, from any thread; nearest-rank percentiles. */
    private static final class Samples {
        private final List<Double> values = new ArrayList<>();

        synchronized void add(double millis) {
            values.add(millis);
        }

        synchronized int count() {
            return values.size();
        }

        synchronized double percentile(double quantile) {
            if (values.isEmpty()) {
                return Double.NaN;
            }
            double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1))];
        }
    }
}
