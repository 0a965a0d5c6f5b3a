package io.autoglm.fleet.pulsar.local;

import static java.util.Map.entry;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.Producer;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.Schema;

/**
 * The official Pulsar distribution run as {@code bin/pulsar standalone} on loopback: the broker of
 * the local stack ({@code scripts/run-local}) and of the integration tests (here, in the contract's
 * main code, because both use it and every module's tests already depend on this one; the functions
 * never call it). It writes its configuration
 * and keeps its data and logs under one home directory, picks free loopback ports (the bookie's by
 * Pulsar itself), tames the JVM (G1, 1 GB heap instead of ZGC with pre-touch), and counts as ready
 * only once a message has made a round trip: the port opens seconds before {@code public/default} exists.
 * Stopping and starting again keeps ports and data, as a broker restart does.
 */
public final class PulsarStandalone implements AutoCloseable {

    /** Settings on top of the distribution's {@code conf/standalone.conf}. */
    public static final Map<String, String> SETTINGS = new TreeMap<>(Map.ofEntries(
            entry("transactionCoordinatorEnabled", "true"),
            entry("systemTopicEnabled", "true"),
            entry("topicLevelPoliciesEnabled", "true"),
            entry("delayedDeliveryEnabled", "true"),
            entry("delayedDeliveryTickTimeMillis", "100"),
            entry("isDelayedDeliveryDeliverAtTimeStrict", "true"),
            entry("brokerDeleteInactiveTopicsEnabled", "false"),
            entry("allowAutoTopicCreation", "true"),
            entry("allowAutoTopicCreationType", "non-partitioned"),
            entry("journalSyncData", "false"),
            entry("managedLedgerDefaultEnsembleSize", "1"),
            entry("managedLedgerDefaultWriteQuorum", "1"),
            entry("managedLedgerDefaultAckQuorum", "1"),
            entry("brokerShutdownTimeoutMs", "5000"),
            // the Triggers' topic patterns (fleet.<tenant>.(heartbeat|deadline|...) as a regex) are longer than the default 50
            // characters: the broker would refuse their topic-list watchers, and a new tenant's topics would only be
            // found by polling
            entry("subscriptionPatternMaxLength", "512")));

    public static final String LOOPBACK = "127.0.0.1";
    private static final Duration GRACE = Duration.ofSeconds(15);

    private final Path distribution;
    private final Path home;
    private final int brokerPort;
    private final int webPort;
    private Process process;

    private PulsarStandalone(Path distribution, Path home, int brokerPort, int webPort) {
        this.distribution = distribution;
        this.home = home;
        this.brokerPort = brokerPort;
        this.webPort = webPort;
    }

    /**
     * A broker of {@code distribution} (the unpacked {@code apache-pulsar-<version>} directory) living
     * in {@code home}, on free loopback ports. Nothing runs until {@link #launch()} or {@link #start(Duration)}.
     */
    public static PulsarStandalone in(Path distribution, Path home) throws IOException {
        Objects.requireNonNull(home, "home");
        if (!Files.isRegularFile(distribution.resolve("bin").resolve("pulsar"))) {
            throw new IllegalArgumentException("Not an unpacked Pulsar distribution (no bin/pulsar): " + distribution);
        }
        return new PulsarStandalone(distribution.toAbsolutePath(), home.toAbsolutePath(), freePort(), freePort());
    }

    public String serviceUrl() {
        return "pulsar://" + LOOPBACK + ":" + brokerPort;
    }

    public String adminUrl() {
        return "http://" + LOOPBACK + ":" + webPort;
    }

    /** Where the broker's output goes. */
    public Path log() {
        return home.resolve("logs").resolve("pulsar-standalone.out");
    }

    /** The broker process, when launched. */
    public Process process() {
        return process;
    }

    /** Writes the configuration (first time) and starts the broker process, without waiting for it. */
    public Process launch() throws IOException {
        Files.createDirectories(log().getParent());
        Path conf = home.resolve("standalone.conf");
        if (!Files.exists(conf)) {
            writeConfiguration(conf);
        }
        ProcessBuilder builder = new ProcessBuilder("bash", distribution.resolve("bin/pulsar").toString(), "standalone",
                "--no-functions-worker", "--no-stream-storage", "--config", conf.toString(),
                "--metadata-dir", home.resolve("data/metadata").toString(),
                "--bookkeeper-dir", home.resolve("data/bookkeeper").toString())
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
        Map<String, String> env = builder.environment();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("PULSAR_STANDALONE_CONF", conf.toString());
        env.put("PULSAR_LOG_DIR", log().getParent().toString());
        // the defaults (ZGC, AlwaysPreTouch, 2 GB heap, 4 GB direct) take ~2 GB of RSS
        env.put("PULSAR_MEM", "-Xms256m -Xmx1g -XX:MaxDirectMemorySize=1g");
        env.put("PULSAR_GC", "-XX:+UseG1GC -XX:+PerfDisableSharedMem");
        process = builder.start();
        return process;
    }

    /** Launches and waits until a message goes through; on failure stops what was started and says why. */
    public void start(Duration timeout) throws IOException {
        launch();
        if (!awaitRoundTrip(serviceUrl(), process, timeout)) {
            String failure = process.isAlive() ? "did not serve within " + timeout : "exited with " + process.exitValue();
            stop();
            throw new IllegalStateException("The standalone Pulsar broker " + failure + "; see " + log()
                    + ". Last output:\n" + logTail(4000));
        }
    }

    /** Stops the broker (and anything it spawned), keeping its data and ports for a later {@link #start}. */
    public void stop() {
        if (process != null) {
            ProcessTrees.stop(process.toHandle(), GRACE);
        }
    }

    /** Stops, then starts again on the same ports with the same data: a broker restart. */
    public void restart(Duration timeout) throws IOException {
        stop();
        start(timeout);
    }

    /** Stops the broker and deletes its home. */
    @Override
    public void close() throws IOException {
        stop();
        deleteTree(home);
    }

    /** The last {@code characters} of the broker's output. */
    public String logTail(int characters) {
        try {
            String output = Files.readString(log(), StandardCharsets.UTF_8);
            return output.substring(Math.max(0, output.length() - characters));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private void writeConfiguration(Path file) throws IOException {
        StringBuilder conf = new StringBuilder(Files.readString(distribution.resolve("conf/standalone.conf")))
                .append("\n\n# loopback broker (io.autoglm.fleet.pulsar.local.PulsarStandalone)\n")
                .append("advertisedAddress=").append(LOOPBACK).append('\n')
                .append("bindAddress=").append(LOOPBACK).append('\n')
                .append("brokerServicePort=").append(brokerPort).append('\n')
                .append("webServicePort=").append(webPort).append('\n')
                // the bookie binds every interface unless told which one (it picks its own free port)
                .append("listeningInterface=").append(NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress()).getName())
                .append('\n');
        SETTINGS.forEach((key, value) -> conf.append(key).append('=').append(value).append('\n'));
        Files.writeString(file, conf);
    }

    /** Waits until a message goes through {@code serviceUrl}, or {@code broker} died, or the time is up. */
    public static boolean awaitRoundTrip(String serviceUrl, Process broker, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && broker.isAlive()) {
            if (roundTrip(serviceUrl)) {
                return true;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** Whether a message produced to a fresh topic comes back. */
    public static boolean roundTrip(String serviceUrl) {
        String topic = "persistent://public/default/broker-readiness-" + UUID.randomUUID();
        String payload = UUID.randomUUID().toString();
        try (PulsarClient client = PulsarClient.builder().serviceUrl(serviceUrl)
                .operationTimeout(5, TimeUnit.SECONDS).connectionTimeout(1, TimeUnit.SECONDS).build();
                Consumer<String> consumer = client.newConsumer(Schema.STRING).topic(topic).subscriptionName("readiness").subscribe();
                Producer<String> producer = client.newProducer(Schema.STRING).topic(topic).create()) {
            producer.send(payload);
            Message<String> received = consumer.receive(5, TimeUnit.SECONDS);
            return received != null && payload.equals(received.getValue());
        } catch (PulsarClientException e) {
            return false;
        }
    }

    /** A loopback port nobody listens on right now. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        }
    }

    /** Deletes a directory and everything in it; nothing when it does not exist. */
    public static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
