package io.autoglm.fleet.events.testing;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.WRITE;

import io.autoglm.fleet.events.testing.PulsarEndpoints.Origin;
import io.autoglm.fleet.pulsar.local.ProcessTrees;
import io.autoglm.fleet.pulsar.local.ProcessWatchdog;
import io.autoglm.fleet.pulsar.local.PulsarStandalone;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The official Pulsar distribution run as {@code bin/pulsar standalone} on loopback (launched by
 * {@link PulsarStandalone}, which the local stack shares), once per Maven build: the first
 * integration-test JVM starts it, later ones (other modules) reuse it, and a {@link ProcessWatchdog}
 * stops it when the build's Maven JVM exits, however it exits.
 *
 * <p>The parent POM unpacks the distribution and passes its location as {@code pulsar.distribution.dir}.
 * Runs live next to it in {@code standalone/<owner pid>/} (configuration, data, logs, {@code broker.properties});
 * a file lock there makes concurrent test JVMs wait for one start. Ports are free loopback ports
 * picked at start (the bookie's by Pulsar itself), so builds in two checkouts never clash.
 */
final class StandaloneBroker {

    private static final System.Logger LOG = System.getLogger(StandaloneBroker.class.getName());
    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(2);
    private static final int START_ATTEMPTS = 3;
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

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
                        && state.owner().filter(owner::equals).isPresent() && PulsarStandalone.roundTrip(state.serviceUrl()));
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
                    previous.flatMap(BrokerState::broker).ifPresent(broker -> ProcessTrees.stop(broker, STOP_GRACE));
                    PulsarStandalone.deleteTree(dir);
                }
            }
        }
    }

    private static PulsarEndpoints launch(Path distribution, Path home, ProcessHandle owner) throws IOException {
        for (int attempt = 1; ; attempt++) {
            PulsarStandalone.deleteTree(home);
            PulsarStandalone standalone = PulsarStandalone.in(distribution, home);
            PulsarEndpoints endpoints = new PulsarEndpoints(standalone.serviceUrl(), standalone.adminUrl(), Origin.DISTRIBUTION);
            long started = System.nanoTime();
            Process broker = standalone.launch();
            ProcessWatchdog.watch(owner, List.of(broker.toHandle()), home.resolve("logs").resolve("watchdog.log"));
            if (PulsarStandalone.awaitRoundTrip(endpoints.serviceUrl(), broker, STARTUP_TIMEOUT)) {
                BrokerState.of(endpoints, broker.toHandle(), owner).write(home);
                LOG.log(System.Logger.Level.INFO, "Started the standalone Pulsar broker, pid {0}, in {1} ms; home {2}",
                        broker.pid(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), home);
                return endpoints;
            }
            String failure = broker.isAlive() ? "did not serve within " + STARTUP_TIMEOUT : "exited with " + broker.exitValue();
            ProcessTrees.stop(broker.toHandle(), STOP_GRACE);
            String output = standalone.logTail(Integer.MAX_VALUE);
            if (attempt == START_ATTEMPTS || !output.contains("Address already in use")) {
                throw new IllegalStateException("The standalone Pulsar broker " + failure + "; see " + standalone.log()
                        + ". Last output:\n" + output.substring(Math.max(0, output.length() - 4000)));
            }
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
