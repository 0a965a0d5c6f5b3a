package io.autoglm.fleet.triggers.gateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoglm.fleet.events.EventFamily;
import io.autoglm.fleet.events.EventJson;
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
import io.autoglm.fleet.pulsar.local.ProcessTrees;
import io.autoglm.fleet.pulsar.local.PulsarStandalone;
import io.autoglm.fleet.triggers.gateway.DeviceCredentials;
import io.autoglm.fleet.triggers.gateway.DeviceSocketRoute;
import io.autoglm.fleet.triggers.testing.TestNamespaces;
import io.autoglm.fleet.triggers.testing.TestTokens;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Reader;
import org.apache.pulsar.client.api.Schema;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The device gateway at scale, its process as it runs in production (the built {@code quarkus-run.jar}) and the load
 * generator in this JVM: N device sockets (Vert.x's client, device credentials), the gateway's RSS idle and at N;
 * then commands written to the tenant's command topic at R/s spread over the devices for S seconds, each one's
 * latency from its send (the {@code dispatchedAt} it carries, taken just before the send) to the frame at the device,
 * beside a raw Pulsar reader's produce -> receive latency of the same messages in the same run (the baseline).
 * Arguments: {@code [connections] [commands per second] [seconds]}.
 */
public final class GatewayBenchmark {

    private static final Path REPO = Path.of(System.getProperty("autoglm.repo", "../..")).toAbsolutePath().normalize();
    private static final String TENANT = "bench";
    private static final String SECRET = "the benchmark gateway's credential key, 32 bytes or more";
    /**
     * The gateway's JVM: a small fixed heap, as a replica would run with (a growing one is grown by full collections, a
     * second and more each with 10,000 sockets on a busy machine); glibc arenas capped by the environment.
     */
    static final List<String> GATEWAY_JVM = List.of("-Xms160m", "-Xmx160m", "-Xmn48m", "-XX:+UseSerialGC", "-Xss256k",
            "-XX:MaxDirectMemorySize=64m", "-XX:ReservedCodeCacheSize=64m", "-XX:+ExitOnOutOfMemoryError");

    private GatewayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        Path work = REPO.resolve("target/bench/gateway");
        PulsarStandalone.deleteTree(work);
        Files.createDirectories(work);
        PulsarStandalone broker = PulsarStandalone.in(Path.of(System.getProperty("pulsar.distribution.dir")), work.resolve("broker"));
        broker.start(Duration.ofMinutes(3));
        Runtime.getRuntime().addShutdownHook(new Thread(broker::stop));
        List<String> report = new ArrayList<>();
        report.add(String.format(Locale.ROOT, "Device gateway benchmark: %d cores, %s, load %s; %,d sockets, %,d commands/s for %d s",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                Files.readString(Path.of("/proc/loadavg")).trim(), connections, rate, seconds));
        PulsarEndpoints endpoints = new PulsarEndpoints(broker.serviceUrl(), broker.adminUrl(), PulsarEndpoints.Origin.EXTERNAL);
        Topics topics = TestNamespaces.create(endpoints, "gateway-bench");
        Process gateway = startGateway(broker.serviceUrl(), topics.namespace(), work);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        try (PulsarClient client = PulsarClient.builder().serviceUrl(broker.serviceUrl()).build();
             PulsarEventPublisher publisher = new PulsarEventPublisher(client, topics)) {
            double idle = rssMib(gateway.pid());
            report.add(String.format(Locale.ROOT, "- gateway RSS idle (ready, no socket): %.0f MiB", idle));

            Devices devices = new Devices(vertx, connections);
            long connecting = System.nanoTime();
            double connectCpu = cpuSeconds(gateway.pid());
            devices.connectAll();
            double connectSeconds = (System.nanoTime() - connecting) / 1e9;
            System.out.printf(Locale.ROOT, "gateway CPU while connecting: %.1f s%n", cpuSeconds(gateway.pid()) - connectCpu);
            awaitHeld(connections, Duration.ofMinutes(2));
            Thread.sleep(5_000); // the presence writes of the last ones, and a quiet moment
            double full = rssMib(gateway.pid());
            report.add(String.format(Locale.ROOT, "- %,d sockets open in %.1f s (%d failed); gateway RSS at %,d sockets: %.0f MiB, %.1f KiB per socket over idle",
                    devices.open.get(), connectSeconds, devices.failed.get(), connections, full, (full - idle) * 1024 / connections));

            // the baseline: the same messages read by a raw reader, produce -> receive
            Latencies raw = new Latencies();
            try (Reader<byte[]> reader = client.newReader(Schema.BYTES).topic(topics.events(TENANT, EventFamily.DEVICE_COMMAND))
                    .startMessageId(MessageId.latest)
                    .readerListener((r, message) -> {
                        long now = nowMicros();
                        CommandDispatched command = Events.payload(PulsarMessageFactory.createReader(message).toEvent(), CommandDispatched.class);
                        raw.add(now - micros(command.dispatchedAt()));
                    }).create()) {
                publisher.producer(topics.events(TENANT, EventFamily.DEVICE_COMMAND)).get(10, TimeUnit.SECONDS);
                push(publisher, connections, rate, Duration.ofSeconds(Math.min(5, seconds)), devices); // warm-up
                Thread.sleep(2_000);
                raw.clear();
                devices.latencies.clear();
                double cpuBefore = cpuSeconds(gateway.pid());
                long sent = push(publisher, connections, rate, Duration.ofSeconds(seconds), devices);
                Thread.sleep(3_000);
                double cpu = cpuSeconds(gateway.pid()) - cpuBefore;
                report.add(String.format(Locale.ROOT, "- %,d commands sent in %d s; %,d reached their device, %,d read by the raw reader; gateway CPU %.0f%% of a core",
                        sent, seconds, devices.latencies.count(), raw.count(), cpu * 100 / (seconds + 3)));
                report.add("");
                report.add("| latency, ms | p50 | p90 | p99 | p99.9 | max |");
                report.add("| --- | ---: | ---: | ---: | ---: | ---: |");
                report.add(raw.row("raw Pulsar reader: produce -> receive"));
                report.add(devices.latencies.row("via the gateway: produce -> frame at the device"));
                report.add(String.format(Locale.ROOT, "| gateway's added (difference) | %.1f | %.1f | %.1f | %.1f | |",
                        devices.latencies.percentile(50) - raw.percentile(50), devices.latencies.percentile(90) - raw.percentile(90),
                        devices.latencies.percentile(99) - raw.percentile(99), devices.latencies.percentile(99.9) - raw.percentile(99.9)));
                report.add(String.format(Locale.ROOT, "- gateway RSS after the push: %.0f MiB", rssMib(gateway.pid())));
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            ProcessTrees.stop(gateway.toHandle(), Duration.ofSeconds(20));
            broker.stop();
        }
        Path out = REPO.resolve("target/bench/gateway-" + System.currentTimeMillis() + ".md");
        Files.writeString(out, String.join("\n", report) + "\n");
        report.forEach(System.out::println);
        System.out.println("written to " + out);
        System.exit(0);
    }

    private static int port;

    private static Process startGateway(String serviceUrl, String namespace, Path work) throws Exception {
        port = PulsarStandalone.freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(GATEWAY_JVM);
        // e.g. -Dgateway.jvm.options=-XX:StartFlightRecording=filename=/tmp/gateway.jfr to profile
        String extra = System.getProperty("gateway.jvm.options", "");
        if (!extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        Map<String, String> properties = Map.of(
                "quarkus.http.port", Integer.toString(port),
                "autoglm.pulsar.service-url", serviceUrl,
                "autoglm.pulsar.namespace", namespace,
                "mp.jwt.verify.publickey.location", TestTokens.publicKeyFile().toString(),
                "autoglm.gateway.credentials.secret", SECRET,
                "autoglm.gateway.replica", "gateway-bench",
                "autoglm.gateway.screenshots.store", work.resolve("screenshots").toString());
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", REPO.resolve("triggers/device-gateway/target/quarkus-app/quarkus-run.jar").toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("device-gateway.log").toFile()));
        builder.environment().put("MALLOC_ARENA_MAX", "2");
        Process process = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ProcessTrees.stop(process.toHandle(), Duration.ofSeconds(5))));
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return process;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the gateway did not get ready; see " + work.resolve("device-gateway.log"));
    }

    /** Waits until the gateway's readiness says it holds {@code devices} devices. */
    private static void awaitHeld(int devices, Duration timeout) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        int held = -1;
        while (System.nanoTime() < deadline) {
            JsonNode health = EventJson.tree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body());
            for (JsonNode check : health.path("checks")) {
                if (check.path("name").asText().equals("device-gateway")) {
                    held = check.path("data").path("devices").asInt();
                }
            }
            if (held >= devices) {
                return;
            }
            Thread.sleep(500);
        }
        System.out.println("the gateway holds " + held + " of " + devices + " devices after " + timeout);
    }

    /** Writes {@code rate} commands a second for {@code duration}, each to a random device; how many. */
    private static long push(PulsarEventPublisher publisher, int devices, int rate, Duration duration, Devices sockets) throws Exception {
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long sent = 0;
        Semaphore inFlight = new Semaphore(10_000);
        while (System.nanoTime() < end) {
            long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
            while (sent < due) {
                String device = Devices.id(ThreadLocalRandom.current().nextInt(devices));
                CommandDispatched command = new CommandDispatched("cmd-" + sent + "-" + System.nanoTime(), null, device, TENANT, Placement.DEVICE,
                        new CommandAction(AgentAction.HOME, Map.of()), RoutingStrategy.LOAD_BALANCE, "bench", Instant.now(), null, null);
                inFlight.acquire();
                publisher.publish(Events.newEvent(EventType.COMMAND_DISPATCHED, URI.create("/bench/router"), TENANT, device, command).build())
                        .whenComplete((done, failure) -> inFlight.release());
                sent++;
            }
            Thread.sleep(0, 200_000);
        }
        inFlight.tryAcquire(10_000, 30, TimeUnit.SECONDS);
        return sent;
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    static long micros(Instant at) {
        return at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000;
    }

    /** The load generator's sockets: one per device, each recording the latency of the commands it gets. */
    static final class Devices {
        final Latencies latencies = new Latencies();
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        private final WebSocketClient client;
        private final int count;
        private final DeviceCredentials credentials = new DeviceCredentials(DeviceCredentials.key(SECRET),
                "https://autoglm.io/fleet/device-gateway", Duration.ofDays(1), Clock.systemUTC());

        Devices(Vertx vertx, int count) {
            this.count = count;
            this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(count + 100).setConnectTimeout(30_000)
                    .setTryUsePerFrameCompression(false).setTryUsePerMessageCompression(false));
        }

        static String id(int i) {
            return String.format(Locale.ROOT, "dev-%05d", i);
        }

        /** Connects every device, at most 256 handshakes at once. */
        void connectAll() throws InterruptedException {
            long minting = System.nanoTime();
            String[] tokens = new String[count];
            for (int i = 0; i < count; i++) {
                tokens[i] = credentials.issue(TENANT, id(i)).token();
            }
            System.out.printf(Locale.ROOT, "%,d credentials minted in %.1f s%n", count, (System.nanoTime() - minting) / 1e9);
            long connecting = System.nanoTime();
            Semaphore handshakes = new Semaphore(256);
            CountDownLatch done = new CountDownLatch(count);
            for (int i = 0; i < count; i++) {
                handshakes.acquire();
                WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(DeviceSocketRoute.PATH)
                        .addSubProtocol(DeviceSocketRoute.SUBPROTOCOL)
                        .addHeader("Authorization", "Bearer " + tokens[i]);
                client.connect(options).onComplete(result -> {
                    handshakes.release();
                    done.countDown();
                    if (result.failed()) {
                        failed.incrementAndGet();
                        return;
                    }
                    open.incrementAndGet();
                    result.result().textMessageHandler(text -> {
                        long now = nowMicros();
                        JsonNode frame = EventJson.tree(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                        if (EventType.COMMAND_DISPATCHED.type().equals(frame.path("type").asText())) {
                            latencies.add(now - micros(Instant.parse(frame.path("data").path("dispatchedAt").asText())));
                        }
                    });
                });
            }
            done.await(5, TimeUnit.MINUTES);
            System.out.printf(Locale.ROOT, "%,d handshakes in %.1f s%n", count, (System.nanoTime() - connecting) / 1e9);
        }
    }

    /** Latencies in microseconds; percentiles in milliseconds. */
    static final class Latencies {
        private long[] values = new long[1 << 16];
        private int size;

        synchronized void add(long micros) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = micros;
        }

        synchronized void clear() {
            size = 0;
        }

        synchronized int count() {
            return size;
        }

        synchronized double percentile(double p) {
            if (size == 0) {
                return Double.NaN;
            }
            long[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            int index = (int) Math.min(size - 1, Math.max(0, Math.ceil(p / 100 * size) - 1));
            return sorted[index] / 1000.0;
        }

        String row(String what) {
            return String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f | %.1f |", what, percentile(50), percentile(90), percentile(99),
                    percentile(99.9), percentile(100));
        }
    }

    private static double rssMib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return -1;
    }

    private static double cpuSeconds(long pid) {
        return ProcessHandle.of(pid).flatMap(handle -> handle.info().totalCpuDuration()).map(d -> d.toNanos() / 1e9).orElse(0.0);
    }
}
