package io.autoglm.fleet.triggers.reliability;

import io.autoglm.fleet.events.EventFamily;
import io.autoglm.fleet.events.pulsar.PulsarMessageFactory;
import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.events.testing.PulsarEndpoints;
import io.autoglm.fleet.pulsar.local.PulsarStandalone;
import io.autoglm.fleet.simulator.TenantTokens;
import io.autoglm.fleet.triggers.dispatch.BinaryHttpForm;
import io.autoglm.fleet.triggers.dispatch.OutboundEvent;
import io.autoglm.fleet.triggers.testing.FleetEvents;
import io.autoglm.fleet.triggers.testing.TestNamespaces;
import io.cloudevents.CloudEvent;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ingress sink's rate of single events against a raw Pulsar producer, in the same run: N callers each posting one
 * binary-mode heartbeat at a time (the sink answers 202 once Pulsar acknowledged it) vs a producer on the same topic
 * with N sends in flight (the same acknowledgement: a send counts when Pulsar acknowledged it), at 16 and 64; rounds
 * alternate which goes first; the ratio of medians. Arguments: {@code [seconds per measurement] [rounds]}.
 */
public final class SinkIngestBenchmark {

    private static final int DEVICES = 100;

    private SinkIngestBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path work = BridgeApp.REPO.resolve("target/bench/sink");
        PulsarStandalone.deleteTree(work);
        PulsarStandalone broker = PulsarStandalone.in(Path.of(System.getProperty("pulsar.distribution.dir")), work.resolve("broker"));
        broker.start(Duration.ofMinutes(3));
        Runtime.getRuntime().addShutdownHook(new Thread(broker::stop));
        List<String> report = new ArrayList<>();
        report.add(String.format(Locale.ROOT, "Sink ingest benchmark: %d cores, %s, load %s", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"), Files.readString(Path.of("/proc/loadavg")).trim()));
        try (PulsarClient client = PulsarClient.builder().serviceUrl(broker.serviceUrl()).build()) {
            PulsarEndpoints endpoints = new PulsarEndpoints(broker.serviceUrl(), broker.adminUrl(), PulsarEndpoints.Origin.EXTERNAL);
            Topics topics = TestNamespaces.create(endpoints, "sink-bench");
            BridgeApp sink = BridgeApp.sink(broker.serviceUrl(), topics.namespace(), work).start();
            try (Producer<byte[]> producer = client.newProducer().topic(topics.events("bench", EventFamily.HEARTBEAT)).blockIfQueueFull(false).create()) {
                URI uri = URI.create(sink.url() + "/");
                // warm both up
                viaSink(uri, 16, Duration.ofSeconds(seconds));
                raw(producer, 16, Duration.ofSeconds(seconds));
                report.add("| callers / sends in flight | round | sink events/s (202) | raw producer events/s (acked) | sink / raw |");
                report.add("| ---: | ---: | ---: | ---: | ---: |");
                for (int concurrency : new int[] {16, 64}) {
                    double[] sinkRates = new double[rounds];
                    double[] rawRates = new double[rounds];
                    for (int round = 0; round < rounds; round++) {
                        if (round % 2 == 0) {
                            sinkRates[round] = viaSink(uri, concurrency, Duration.ofSeconds(seconds));
                            rawRates[round] = raw(producer, concurrency, Duration.ofSeconds(seconds));
                        } else {
                            rawRates[round] = raw(producer, concurrency, Duration.ofSeconds(seconds));
                            sinkRates[round] = viaSink(uri, concurrency, Duration.ofSeconds(seconds));
                        }
                        report.add(String.format(Locale.ROOT, "| %d | %d | %,.0f | %,.0f | %.2f |", concurrency, round + 1, sinkRates[round],
                                rawRates[round], sinkRates[round] / rawRates[round]));
                        System.out.println(report.get(report.size() - 1));
                    }
                    report.add(String.format(Locale.ROOT, "| %d | **median** | %,.0f | %,.0f | **%.2f** |", concurrency, median(sinkRates),
                            median(rawRates), median(sinkRates) / median(rawRates)));
                }
            } finally {
                sink.close();
            }
        } finally {
            broker.stop();
        }
        Path out = BridgeApp.REPO.resolve("target/bench/sink-ingest-" + System.currentTimeMillis() + ".md");
        Files.writeString(out, String.join("\n", report) + "\n");
        report.forEach(System.out::println);
        System.out.println("written to " + out);
        System.exit(0);
    }

    /** {@code callers} callers posting one event at a time for {@code measure}; events accepted (202) per second. */
    private static double viaSink(URI sink, int callers, Duration measure) throws Exception {
        long end = System.nanoTime() + measure.toNanos();
        return post(sink, callers, i -> System.nanoTime() < end);
    }

    /**
     * Posts single binary-mode heartbeats to the sink, {@code inFlight} at a time, while {@code more} says so of the
     * next event's number; events accepted (202) per second.
     */
    static double post(URI sink, int inFlight, java.util.function.LongPredicate more) throws Exception {
        TenantTokens tokens = new TenantTokens(TenantTokens.readPrivateKey(BridgeApp.SIGNING_KEY.privateKey()), Duration.ofHours(1));
        String token = "Bearer " + tokens.token("bench");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Semaphore permits = new Semaphore(inFlight);
        AtomicLong accepted = new AtomicLong();
        long start = System.nanoTime();
        for (long i = 0; more.test(i); i++) {
            CloudEvent event = FleetEvents.heartbeat("bench", "dev-" + (i % DEVICES), i / DEVICES + 1);
            OutboundEvent form = BinaryHttpForm.of(event);
            HttpRequest.Builder request = HttpRequest.newBuilder(sink).header("Authorization", token);
            form.headers().forEach(header -> request.header(header.getKey(), header.getValue()));
            permits.acquire();
            http.sendAsync(request.POST(HttpRequest.BodyPublishers.ofByteArray(form.body())).build(), HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, failure) -> {
                        if (failure == null && response.statusCode() == 202) {
                            accepted.incrementAndGet();
                        }
                        permits.release();
                    });
        }
        permits.acquire(inFlight);
        return accepted.get() * 1e9 / (System.nanoTime() - start);
    }

    /** A producer with {@code inFlight} sends outstanding for {@code measure}; events acknowledged per second. */
    private static double raw(Producer<byte[]> producer, int inFlight, Duration measure) throws Exception {
        Semaphore permits = new Semaphore(inFlight);
        AtomicLong acked = new AtomicLong();
        long start = System.nanoTime();
        long end = start + measure.toNanos();
        for (long i = 0; System.nanoTime() < end; i++) {
            CloudEvent event = FleetEvents.heartbeat("bench", "dev-" + (i % DEVICES), i / DEVICES + 1);
            permits.acquire();
            PulsarMessageFactory.createWriter(producer.newMessage()).writeBinary(event).sendAsync().whenComplete((id, failure) -> {
                if (failure == null) {
                    acked.incrementAndGet();
                }
                permits.release();
            });
        }
        permits.tryAcquire(inFlight, 30, TimeUnit.SECONDS);
        return acked.get() * 1e9 / (System.nanoTime() - start);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }
}
