package io.autoglm.fleet.triggers.reliability;

import io.autoglm.fleet.events.EventFamily;
import io.autoglm.fleet.events.pulsar.PulsarEventPublisher;
import io.autoglm.fleet.events.pulsar.PulsarProperties;
import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.pulsar.local.PulsarStandalone;
import io.autoglm.fleet.events.testing.PulsarEndpoints;
import io.autoglm.fleet.local.LocalStack;
import io.autoglm.fleet.triggers.testing.FleetEvents;
import io.autoglm.fleet.triggers.testing.TestNamespaces;
import io.vertx.core.Vertx;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.KeySharedPolicy;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.SubscriptionInitialPosition;
import org.apache.pulsar.client.api.SubscriptionType;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The bridge's benchmark ({@code scripts/bench-bridge}), on a broker of its own:
 * <ol>
 * <li>dispatcher throughput: per round, a backlog of heartbeats of a new tenant (100 devices, key-based
 * batching), drained by the dispatcher application (one process for the run, as deployed) delivering
 * over HTTP to a trivial function, and by a raw Key_Shared consumer (receive + acknowledge) on the
 * same topic, each from a complete backlog (the function holds its requests until the backlog is
 * written and the other drain is done), the two taking turns going first; four warm-up rounds first (two
 * in each order: a fresh dispatcher is still compiling through its first ~100,000 events), then medians and their ratio, and each process's CPU time per event during the drains;</li>
 * <li>added latency: events published at a steady rate, read at the same time by the raw consumer and
 * through the dispatcher; p50/p99 from publication to arrival, and the difference;</li>
 * <li>memory: the dispatcher's and the sink's resident set size idle and under load (the sink loaded
 * with single binary-mode events over HTTP, which also gives its throughput).</li>
 * </ol>
 * Arguments: {@code [backlog events] [rounds] [latency rate/s] [latency seconds]}.
 */
public final class BridgeBenchmark {

    private static final int DEVICES = 100;
    private static final int WARM_UP_ROUNDS = 4;

    private BridgeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int backlog = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        Path work = BridgeApp.REPO.resolve("target/bench/bridge");
        PulsarStandalone.deleteTree(work);
        List<String> report = new ArrayList<>();
        report.add(String.format(Locale.ROOT, "Bridge benchmark %s: %d cores, %s, load %s", LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                Files.readString(Path.of("/proc/loadavg")).trim()));

        PulsarStandalone broker = PulsarStandalone.in(Path.of(System.getProperty("pulsar.distribution.dir")), work.resolve("broker"));
        broker.start(Duration.ofMinutes(3));
        Runtime.getRuntime().addShutdownHook(new Thread(broker::stop)); // Ctrl-C included
        Vertx vertx = Vertx.vertx();
        LatencyLog functionLatency = new LatencyLog(1_000_000);
        try (PulsarClient client = PulsarClient.builder().serviceUrl(broker.serviceUrl()).build();
                TrivialFunction function = new TrivialFunction(vertx, functionLatency)) {
            PulsarEndpoints endpoints = new PulsarEndpoints(broker.serviceUrl(), broker.adminUrl(), PulsarEndpoints.Origin.EXTERNAL);

            // one dispatcher process for the whole run, as deployed: it reads the heartbeats of every tenant
            Topics topics = TestNamespaces.create(endpoints, "bench");
            BridgeApp dispatcher = dispatcher(broker, topics, work, "bench", function).start();
            Thread.sleep(3000);
            double idleRss = dispatcher.rssMib();
            AtomicReference<Double> peak = new AtomicReference<>(0.0);
            Thread sampler = sampler(dispatcher, peak);

            // 1. throughput: the warm-up rounds warm both readers up (half in each order) and are not counted
            double[] raw = new double[rounds];
            double[] dispatched = new double[rounds];
            // CPU per event (microseconds) of each process while it drains: dispatcher, function, broker | raw consumer, broker
            double[][] cpu = new double[5][rounds];
            ProcessHandle brokerProcess = broker.process().toHandle();
            for (int round = 0; round < WARM_UP_ROUNDS + rounds; round++) {
                String tenant = "bench-" + round;
                function.reset();
                // the function holds its requests while the backlog is written (and while the raw consumer drains, when
                // it goes first), so that the dispatcher, like the raw consumer, drains a complete backlog with nothing else running
                function.hold();
                publish(client, topics, tenant, backlog);
                long settling = BridgeApp.cpuNanos(brokerProcess);
                Thread.sleep(3000); // the broker's own work after the writes (journal, index flush) is not the drain's
                long settled = BridgeApp.cpuNanos(brokerProcess);
                Thread.sleep(1000);
                System.out.printf(Locale.ROOT, "broker after the writes: %.0f ms CPU in 3 s, then %.0f ms in the next second%n",
                        (settled - settling) / 1e6, (BridgeApp.cpuNanos(brokerProcess) - settled) / 1e6);
                // the two drains take turns going first, so that neither always meets the broker as the writes left it
                boolean rawFirst = round % 2 == 1;
                String rawSubscription = "raw-" + round;
                RawDrain viaRaw = rawFirst ? RawDrain.of(client, topics, tenant, rawSubscription, backlog, brokerProcess) : null;
                long[] start = {dispatcher.cpuNanos(), function.cpuNanos(), BridgeApp.cpuNanos(brokerProcess)};
                function.release();
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
                while (function.arrivals() < backlog && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                long[] end = {dispatcher.cpuNanos(), function.cpuNanos(), BridgeApp.cpuNanos(brokerProcess)};
                double viaDispatcher = function.arrivals() * 1e9 / function.span();
                if (!rawFirst) {
                    viaRaw = RawDrain.of(client, topics, tenant, rawSubscription, backlog, brokerProcess);
                }
                System.out.printf(Locale.ROOT, "round %d%s: raw %.0f/s, dispatcher %.0f/s (%d delivered; %s first)%n", round,
                        round < WARM_UP_ROUNDS ? " (warm-up)" : "", viaRaw.rate(), viaDispatcher, function.arrivals(), rawFirst ? "raw" : "dispatcher");
                if (round >= WARM_UP_ROUNDS) {
                    int counted = round - WARM_UP_ROUNDS;
                    raw[counted] = viaRaw.rate();
                    dispatched[counted] = viaDispatcher;
                    for (int i = 0; i < 3; i++) {
                        cpu[i][counted] = (end[i] - start[i]) / 1e3 / backlog;
                    }
                    cpu[3][counted] = viaRaw.jvmMicrosPerEvent();
                    cpu[4][counted] = viaRaw.brokerMicrosPerEvent();
                }
            }
            double rawMedian = median(raw);
            double dispatchedMedian = median(dispatched);
            report.add("");
            report.add(String.format(Locale.ROOT, "Throughput, backlog of %,d events of %d devices per round, %d rounds after %d warm-up rounds (median):",
                    backlog, DEVICES, rounds, WARM_UP_ROUNDS));
            report.add(String.format(Locale.ROOT, "  raw Key_Shared consumer   %,8.0f events/s  %s", rawMedian, Arrays.toString(rounded(raw))));
            report.add(String.format(Locale.ROOT, "  dispatcher -> HTTP        %,8.0f events/s  %s", dispatchedMedian, Arrays.toString(rounded(dispatched))));
            double[] ratios = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                ratios[i] = dispatched[i] / raw[i];
            }
            // each round's pair ran back to back, so the median of the rounds' ratios is the least disturbed by a busy machine
            report.add(String.format(Locale.ROOT, "  ratio of the medians      %8.2f", dispatchedMedian / rawMedian));
            report.add(String.format(Locale.ROOT, "  median of round ratios    %8.2f  %s", median(ratios),
                    Arrays.toString(Arrays.stream(ratios).map(r -> Math.round(r * 100) / 100.0).toArray())));
            report.add(String.format(Locale.ROOT, "  CPU per event (us, median): dispatcher %.0f, function %.0f, broker %.0f | raw consumer's JVM %.0f, broker %.0f",
                    median(cpu[0]), median(cpu[1]), median(cpu[2]), median(cpu[3]), median(cpu[4])));
            if (rate == 0) {
                report.add("(latency, sink and memory skipped: latency rate 0)");
                dispatcher.close();
                return;
            }

            // 2. latency at a steady rate, the raw consumer and the dispatcher reading at once
            LatencyLog rawLatency = new LatencyLog(1_000_000);
            publish(client, topics, "latency", DEVICES); // the topic exists before the raw consumer subscribes
            Thread reader = new Thread(() -> {
                try {
                    rawDrain(client, topics, "latency", "latency-raw", 0, rawLatency);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            reader.start();
            Thread.sleep(3000);
            rawLatency.start();
            functionLatency.start();
            paced(client, topics, "latency", rate, seconds);
            Thread.sleep(3000);
            functionLatency.stop();
            rawLatency.stop();
            reader.join(TimeUnit.SECONDS.toMillis(30));
            sampler.interrupt();
            double loadRss = peak.get();
            dispatcher.close();
            report.add("");
            report.add(String.format(Locale.ROOT, "Latency, %d events/s for %d s, publication -> arrival (ms):", rate, seconds));
            report.add(String.format(Locale.ROOT, "  raw Key_Shared consumer   p50 %6.2f  p99 %7.2f  (%d events)", rawLatency.millis(0.5),
                    rawLatency.millis(0.99), rawLatency.size()));
            report.add(String.format(Locale.ROOT, "  dispatcher -> HTTP        p50 %6.2f  p99 %7.2f  (%d events)", functionLatency.millis(0.5),
                    functionLatency.millis(0.99), functionLatency.size()));
            report.add(String.format(Locale.ROOT, "  added by the dispatcher   p50 %6.2f  p99 %7.2f", functionLatency.millis(0.5) - rawLatency.millis(0.5),
                    functionLatency.millis(0.99) - rawLatency.millis(0.99)));

            // 3. the sink: idle, then loaded over HTTP
            Topics ingress = TestNamespaces.create(endpoints, "sink");
            BridgeApp sink = BridgeApp.sink(broker.serviceUrl(), ingress.namespace(), work).start();
            Thread.sleep(3000);
            double sinkIdle = sink.rssMib();
            AtomicReference<Double> sinkPeak = new AtomicReference<>(0.0);
            Thread sinkSampler = sampler(sink, sinkPeak);
            double sinkRate = loadSink(URI.create(sink.url() + "/"), Math.min(backlog, 10_000));
            sinkSampler.interrupt();
            sink.close();
            report.add("");
            report.add(String.format(Locale.ROOT, "Sink, single binary-mode events over HTTP/1.1, 16 connections: %,.0f events/s accepted (202)", sinkRate));
            report.add("");
            report.add("RSS (MiB, JVM mode):");
            report.add(String.format(Locale.ROOT, "  trigger-dispatcher        idle %6.1f   under load %6.1f   %s", idleRss, loadRss,
                    String.join(" ", LocalStack.DISPATCHER_JVM)));
            report.add(String.format(Locale.ROOT, "  ingress-sink              idle %6.1f   under load %6.1f   %s", sinkIdle, sinkPeak.get(),
                    String.join(" ", LocalStack.SINK_JVM)));
        } finally {
            vertx.close();
            broker.stop();
            report.forEach(System.out::println);
        }
        Path result = BridgeApp.REPO.resolve("target/bench/bridge-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".txt");
        Files.write(result, report);
        System.out.println("\nWritten to " + result);
        System.exit(0);
    }

    private static BridgeApp dispatcher(PulsarStandalone broker, Topics topics, Path work, String trigger, TrivialFunction function)
            throws Exception {
        Path triggers = work.resolve(trigger + ".yaml");
        Files.writeString(triggers, """
                apiVersion: eventing.knative.dev/v1
                kind: Trigger
                metadata: {name: %s}
                spec:
                  broker: fleet
                  filters: [{exact: {type: io.autoglm.device.heartbeat}}]
                  subscriber: {ref: {apiVersion: serving.knative.dev/v1, kind: Service, name: function}}
                  delivery: {retry: 3, backoffDelay: PT0.1S}
                """.formatted(trigger));
        return BridgeApp.dispatcher(broker.serviceUrl(), topics.namespace(), triggers, Map.of("function", URI.create(function.uri())),
                work.resolve(trigger));
    }

    /** Publishes heartbeats of {@code tenant}, devices round robin, key-based batching; waits for the broker's acknowledgements. */
    private static void publish(PulsarClient client, Topics topics, String tenant, int count) {
        try (PulsarEventPublisher publisher = new PulsarEventPublisher(client, topics)) {
            List<CompletableFuture<Void>> sends = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                sends.add(publisher.publish(FleetEvents.heartbeat(tenant, "dev-" + (i % DEVICES), i / DEVICES + 1)));
            }
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
        }
    }

    /** Publishes at {@code rate} events per second for {@code seconds}, each event timed when it is built. */
    private static void paced(PulsarClient client, Topics topics, String tenant, int rate, int seconds) throws InterruptedException {
        try (PulsarEventPublisher publisher = new PulsarEventPublisher(client, topics)) {
            long start = System.nanoTime();
            long interval = 1_000_000_000L / rate;
            for (int i = 0; i < rate * seconds; i++) {
                long due = start + i * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                publisher.publish(FleetEvents.heartbeat(tenant, "dev-" + (i % DEVICES), 1_000_000 + i));
            }
        }
    }

    /** A raw drain of a round's backlog: events per second, and the CPU per event of this JVM and of the broker meanwhile. */
    private record RawDrain(double rate, double jvmMicrosPerEvent, double brokerMicrosPerEvent) {

        static RawDrain of(PulsarClient client, Topics topics, String tenant, String subscription, int backlog, ProcessHandle broker)
                throws Exception {
            long jvm = BridgeApp.cpuNanos(ProcessHandle.current());
            long brokerCpu = BridgeApp.cpuNanos(broker);
            double rate = rawDrain(client, topics, tenant, subscription, backlog, null);
            return new RawDrain(rate, (BridgeApp.cpuNanos(ProcessHandle.current()) - jvm) / 1e3 / backlog,
                    (BridgeApp.cpuNanos(broker) - brokerCpu) / 1e3 / backlog);
        }
    }

    /**
     * A raw Key_Shared consumer reading {@code count} events of {@code tenant} (receive, asynchronous
     * individual acknowledgement): events per second between the first and the last. With a latency
     * log it records publication-to-arrival times and reads until quiet instead.
     */
    private static double rawDrain(PulsarClient client, Topics topics, String tenant, String subscription, int count,
            LatencyLog latencies) throws Exception {
        try (Consumer<byte[]> consumer = client.newConsumer(Schema.BYTES)
                .topic(topics.events(tenant, EventFamily.HEARTBEAT))
                .subscriptionName(subscription)
                .subscriptionType(SubscriptionType.Key_Shared)
                .keySharedPolicy(KeySharedPolicy.autoSplitHashRange())
                .subscriptionInitialPosition(SubscriptionInitialPosition.Earliest)
                .receiverQueueSize(1000)
                .subscribe()) {
            long first = 0;
            long last = 0;
            int received = 0;
            int idle = 0;
            while (latencies == null ? received < count : idle < 50) {
                Message<byte[]> message = consumer.receive(100, TimeUnit.MILLISECONDS);
                if (message == null) {
                    idle++;
                    continue;
                }
                idle = 0;
                last = System.nanoTime();
                if (received++ == 0) {
                    first = last;
                }
                if (latencies != null) {
                    latencies.record(Instant.parse(message.getProperty(PulsarProperties.propertyOf("time"))));
                }
                consumer.acknowledgeAsync(message.getMessageId());
            }
            return received * 1e9 / Math.max(1, last - first);
        }
    }

    /** Posts {@code count} single events with 16 requests in flight; events per second accepted. */
    private static double loadSink(URI sink, int count) throws Exception {
        return SinkIngestBenchmark.post(sink, 16, i -> i < count);
    }

    private static Thread sampler(BridgeApp app, AtomicReference<Double> peak) {
        Thread thread = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(app.rssMib(), Math::max);
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rss-sampler");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static long[] rounded(double[] values) {
        return Arrays.stream(values).mapToLong(Math::round).toArray();
    }
}
