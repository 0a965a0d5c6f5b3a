package io.autoglm.fleet.events.testing;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.WRITE;
import static java.util.Map.entry;

import io.autoglm.fleet.events.testing.PulsarEndpoints.Origin;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
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
 * The official Pulsar distribution run as {@code bin/pulsar standalone} on loopback, once per Maven
 * build: the first integration-test JVM starts it, later ones (other modules) reuse it, and a
 * {@link BrokerWatchdog} stops it when the build's Maven JVM exits, however it exits.
 *
 * <p>The parent POM unpacks the distribution and passes its location as {@code pulsar.distribution.dir}.
 * Runs live next to it in {@code standalone/<owner pid>/} (configuration, data, logs, {@code broker.properties});
 * a file lock there makes concurrent test JVMs wait for one start. Ports are free loopback ports
 * picked at start (the bookie's by Pulsar itself), so builds in two checkouts never clash.
 */
final class StandaloneBroker {

    /** Settings every test broker gets, on top of the distribution's {@code conf/standalone.conf}. */
    static final Map<String, String> SETTINGS = new TreeMap<>(Map.ofEntries(
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
            entry("brokerShutdownTimeoutMs", "5000")));

    private static final System.Logger LOG = System.getLogger(StandaloneBroker.class.getName());
    private static final String LOOPBACK = "127.0.0.1";
    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(2);
    private static final int START_ATTEMPTS = 3;

    private StandaloneBroker() {
    }

    static PulsarEndpoints forThisBuild() {
        Path distribution = distribution();
        Path runs = distribution.resolveSibling("standalone");
        ProcessHandle owner = buildOwner();
        Path home = runs.resolve(Long.toString(owner.pid()));
        try {
            Files.createDirectories(runs);
            try (FileChannel channel = FileChannel.open(runs.resolve("lock"), CREATE, WRITE);
                    FileLock lock = channel.lock()) {
                Optional<BrokerState> running = BrokerState.read(home).filter(state -> state.broker().isPresent()
                        && state.owner().filter(owner::equals).isPresent() && roundTrip(state.serviceUrl()));
                if (running.isPresent()) {
                    LOG.log(System.Logger.Level.INFO, "Reusing the standalone Pulsar broker of this build, pid {0}, home {1}",
                            running.get().brokerPid(), home);
                    return running.get().endpoints();
                }
                removeStaleRuns(runs, home);
                return launch(distribution, home, owner);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the standalone Pulsar broker in " + home, e);
        }
    }

    private static Path distribution() {
        String dir = System.getProperty("pulsar.distribution.dir");
        boolean skipped = Boolean.parseBoolean(System.getProperty("pulsar.distribution.skip", "false"));
        if (dir == null || skipped || !Files.isRegularFile(Path.of(dir, "bin", "pulsar"))) {
            throw new IllegalStateException("No Pulsar broker for the integration tests: neither PULSAR_SERVICE_URL/PULSAR_ADMIN_URL "
                    + "nor Docker (Testcontainers) is available, and the Pulsar distribution is not unpacked for this module "
                    + "(pulsar.distribution.dir=" + dir + ", pulsar.distribution.skip=" + skipped + "). Fix: add "
                    + "<pulsar.distribution.skip>false</pulsar.distribution.skip> to the module's <properties> and run "
                    + "the tests through Maven (mvn verify), which unpacks org.apache.pulsar:pulsar-server-distribution; "
                    + "or point PULSAR_SERVICE_URL and PULSAR_ADMIN_URL at a running broker.");
        }
        return Path.of(dir).toAbsolutePath();
    }

    /**
     * The Maven JVM this test JVM runs under (failsafe forks through {@code /bin/sh -c}, so it is an
     * ancestor, not the parent), so the broker lives as long as the build; else this JVM.
     */
    private static ProcessHandle buildOwner() {
        ProcessHandle self = ProcessHandle.current();
        for (Optional<ProcessHandle> ancestor = self.parent(); ancestor.isPresent(); ancestor = ancestor.get().parent()) {
            if (ancestor.get().info().commandLine().orElse("").contains("org.codehaus.plexus.classworlds.launcher.Launcher")) {
                return ancestor.get();
            }
        }
        return self;
    }

    private static void removeStaleRuns(Path runs, Path home) throws IOException {
        try (Stream<Path> dirs = Files.list(runs)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                Optional<BrokerState> previous = BrokerState.read(dir);
                if (dir.equals(home) || previous.flatMap(BrokerState::owner).isEmpty()) {
                    previous.flatMap(BrokerState::broker).ifPresent(BrokerWatchdog::stop);
                    deleteTree(dir);
                }
            }
        }
    }

    private static PulsarEndpoints launch(Path distribution, Path home, ProcessHandle owner) throws IOException {
        Path log = home.resolve("logs").resolve("pulsar-standalone.out");
        for (int attempt = 1; ; attempt++) {
            deleteTree(home);
            Files.createDirectories(log.getParent());
            int brokerPort = freePort();
            int webPort = freePort();
            PulsarEndpoints endpoints = new PulsarEndpoints(
                    "pulsar://" + LOOPBACK + ":" + brokerPort, "http://" + LOOPBACK + ":" + webPort, Origin.DISTRIBUTION);
            Path conf = writeConfiguration(distribution, home, brokerPort, webPort);
            long started = System.nanoTime();
            Process broker = command(distribution, home, conf, log).start();
            BrokerWatchdog.watch(owner, broker.toHandle(), home.resolve("logs").resolve("watchdog.log"));
            if (awaitRoundTrip(endpoints, broker)) {
                BrokerState.of(endpoints, broker.toHandle(), owner).write(home);
                LOG.log(System.Logger.Level.INFO, "Started the standalone Pulsar broker, pid {0}, in {1} ms; home {2}",
                        broker.pid(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), home);
                return endpoints;
            }
            String failure = broker.isAlive() ? "did not serve within " + STARTUP_TIMEOUT : "exited with " + broker.exitValue();
            BrokerWatchdog.stop(broker.toHandle());
            String output = Files.readString(log, StandardCharsets.UTF_8);
            if (attempt == START_ATTEMPTS || !output.contains("Address already in use")) {
                throw new IllegalStateException("The standalone Pulsar broker " + failure + "; see " + log
                        + ". Last output:\n" + output.substring(Math.max(0, output.length() - 4000)));
            }
        }
    }

    private static ProcessBuilder command(Path distribution, Path home, Path conf, Path log) {
        ProcessBuilder builder = new ProcessBuilder("bash", distribution.resolve("bin/pulsar").toString(), "standalone",
                "--no-functions-worker", "--no-stream-storage", "--config", conf.toString(),
                "--metadata-dir", home.resolve("data/metadata").toString(),
                "--bookkeeper-dir", home.resolve("data/bookkeeper").toString())
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("PULSAR_STANDALONE_CONF", conf.toString());
        env.put("PULSAR_LOG_DIR", log.getParent().toString());
        // the defaults (ZGC, AlwaysPreTouch, 2 GB heap, 4 GB direct) take ~2 GB of RSS
        env.put("PULSAR_MEM", "-Xms256m -Xmx1g -XX:MaxDirectMemorySize=1g");
        env.put("PULSAR_GC", "-XX:+UseG1GC -XX:+PerfDisableSharedMem");
        return builder;
    }

    private static Path writeConfiguration(Path distribution, Path home, int brokerPort, int webPort) throws IOException {
        StringBuilder conf = new StringBuilder(Files.readString(distribution.resolve("conf/standalone.conf")))
                .append("\n\n# integration tests (io.autoglm.fleet.events.testing.StandaloneBroker)\n")
                .append("advertisedAddress=").append(LOOPBACK).append('\n')
                .append("bindAddress=").append(LOOPBACK).append('\n')
                .append("brokerServicePort=").append(brokerPort).append('\n')
                .append("webServicePort=").append(webPort).append('\n')
                // the bookie binds every interface unless told which one (it picks its own free port)
                .append("listeningInterface=").append(NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress()).getName())
                .append('\n');
        SETTINGS.forEach((key, value) -> conf.append(key).append('=').append(value).append('\n'));
        Path file = home.resolve("standalone.conf");
        Files.writeString(file, conf);
        return file;
    }

    /** Waits until a message goes through: the port opens seconds before {@code public/default} exists. */
    private static boolean awaitRoundTrip(PulsarEndpoints endpoints, Process broker) {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && broker.isAlive()) {
            if (roundTrip(endpoints.serviceUrl())) {
                return true;
            }
            sleep(Duration.ofMillis(250));
        }
        return false;
    }

    private static boolean roundTrip(String serviceUrl) {
        String topic = TopicNames.unique("broker-readiness");
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

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the Pulsar broker", e);
        }
    }

    /**
     * What {@code broker.properties} records about a started broker. Processes are identified by pid and
     * start time, so a recycled pid is never mistaken for the broker or its owner.
     */
    private record BrokerState(String serviceUrl, String adminUrl, long brokerPid, String brokerStart,
            long ownerPid, String ownerStart) {

        private static final String FILE = "broker.properties";

        static BrokerState of(PulsarEndpoints endpoints, ProcessHandle broker, ProcessHandle owner) {
            return new BrokerState(endpoints.serviceUrl(), endpoints.adminUrl(),
                    broker.pid(), startOf(broker), owner.pid(), startOf(owner));
        }

        static Optional<BrokerState> read(Path home) {
            Properties state = new Properties();
            try (InputStream in = Files.newInputStream(home.resolve(FILE))) {
                state.load(in);
                return Optional.of(new BrokerState(state.getProperty("serviceUrl"), state.getProperty("adminUrl"),
                        Long.parseLong(state.getProperty("broker.pid")), state.getProperty("broker.start"),
                        Long.parseLong(state.getProperty("owner.pid")), state.getProperty("owner.start")));
            } catch (IOException | NumberFormatException e) {
                return Optional.empty(); // none yet, or a start that failed half-way
            }
        }

        void write(Path home) throws IOException {
            Properties state = new Properties();
            state.setProperty("serviceUrl", serviceUrl);
            state.setProperty("adminUrl", adminUrl);
            state.setProperty("broker.pid", Long.toString(brokerPid));
            state.setProperty("broker.start", brokerStart);
            state.setProperty("owner.pid", Long.toString(ownerPid));
            state.setProperty("owner.start", ownerStart);
            Path temporary = home.resolve(FILE + ".tmp");
            try (OutputStream out = Files.newOutputStream(temporary)) {
                state.store(out, "standalone Pulsar broker of one Maven build");
            }
            Files.move(temporary, home.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
        }

        PulsarEndpoints endpoints() {
            return new PulsarEndpoints(serviceUrl, adminUrl, Origin.DISTRIBUTION);
        }

        Optional<ProcessHandle> broker() {
            return live(brokerPid, brokerStart);
        }

        Optional<ProcessHandle> owner() {
            return live(ownerPid, ownerStart);
        }

        private static Optional<ProcessHandle> live(long pid, String start) {
            return ProcessHandle.of(pid).filter(process -> process.isAlive() && startOf(process).equals(start));
        }

        private static String startOf(ProcessHandle process) {
            return process.info().startInstant().map(Object::toString).orElse("");
        }
    }
}
