package io.autoglm.fleet.pulsar.local;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A small JVM of its own that stops processes (and what they spawned) once their owner has exited,
 * however it exited: normal exit, Ctrl-C, {@code kill}, {@code kill -9}. The local stack's children
 * and the integration tests' broker outlive a JVM that cannot clean up after itself otherwise. JDK only.
 *
 * <p>Usage: {@code java -cp <this class's location> io.autoglm.fleet.pulsar.local.ProcessWatchdog <owner pid> <pid>...}.
 */
public final class ProcessWatchdog {

    private static final Duration GRACE = Duration.ofSeconds(15);

    private ProcessWatchdog() {
    }

    public static void main(String[] args) throws InterruptedException {
        Optional<ProcessHandle> owner = ProcessHandle.of(Long.parseLong(args[0]));
        List<ProcessHandle> watched = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            ProcessHandle.of(Long.parseLong(args[i])).ifPresent(watched::add);
        }
        // every way out, including SIGINT/SIGTERM to this JVM, goes through the hook
        Runtime.getRuntime().addShutdownHook(new Thread(() -> watched.forEach(process -> {
            if (process.isAlive()) {
                System.out.printf("%s stopping %d and what it spawned%n", Instant.now(), process.pid());
                ProcessTrees.stop(process, GRACE);
            }
        })));
        System.out.printf("%s watching %s for owner %s%n", Instant.now(), watched.stream().map(ProcessHandle::pid).toList(), args[0]);
        while (owner.isPresent() && owner.get().isAlive() && watched.stream().anyMatch(ProcessHandle::isAlive)) {
            Thread.sleep(500);
        }
        System.out.printf("%s owner alive: %s%n", Instant.now(), owner.isPresent() && owner.get().isAlive());
    }

    /** Starts a watchdog that stops {@code processes} once {@code owner} has exited; its output goes to {@code log}. */
    public static Process watch(ProcessHandle owner, List<ProcessHandle> processes, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx16m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss256k",
                "-cp", location().toString(), ProcessWatchdog.class.getName(), Long.toString(owner.pid())));
        processes.forEach(process -> command.add(Long.toString(process.pid())));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    private static Path location() throws IOException {
        try {
            return Path.of(ProcessWatchdog.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException("Cannot locate the watchdog's classes", e);
        }
    }
}
