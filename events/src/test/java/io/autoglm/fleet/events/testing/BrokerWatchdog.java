package io.autoglm.fleet.events.testing;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A small JVM, separate from the test JVM, that stops the standalone broker (and anything it spawned)
 * when the build that owns it ends, however it ends: normal exit, Ctrl-C, {@code kill}, {@code kill -9}.
 * The test JVM cannot do this itself: it exits after each module, while the broker serves the whole build.
 *
 * <p>Usage: {@code java -cp <this class's location> ...BrokerWatchdog <owner pid> <broker pid>}.
 */
final class BrokerWatchdog {

    private static final long GRACE_SECONDS = 15;

    private BrokerWatchdog() {
    }

    public static void main(String[] args) throws InterruptedException {
        ProcessHandle broker = ProcessHandle.of(Long.parseLong(args[1])).orElse(null);
        if (broker == null) {
            return;
        }
        // every way out, including SIGINT/SIGTERM to this JVM, goes through the hook
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(broker)));
        ProcessHandle owner = ProcessHandle.of(Long.parseLong(args[0])).orElse(null);
        System.out.printf("%s watching broker %d for owner %s%n", Instant.now(), broker.pid(), args[0]);
        while (owner != null && owner.isAlive() && broker.isAlive()) {
            Thread.sleep(500);
        }
        System.out.printf("%s owner alive: %s, broker alive: %s%n", Instant.now(),
                owner != null && owner.isAlive(), broker.isAlive());
    }

    /** Starts a watchdog that stops {@code broker} once {@code owner} has exited. */
    static void watch(ProcessHandle owner, ProcessHandle broker, Path log) throws IOException {
        Path classpath;
        try {
            classpath = Path.of(BrokerWatchdog.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException("Cannot locate the watchdog's classes", e);
        }
        new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx16m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss256k",
                "-cp", classpath.toString(), BrokerWatchdog.class.getName(),
                Long.toString(owner.pid()), Long.toString(broker.pid()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    /** Asks the broker's process tree to stop, then kills what is left after a grace period. */
    static void stop(ProcessHandle broker) {
        List<ProcessHandle> tree = Stream.concat(broker.descendants(), Stream.of(broker))
                .filter(ProcessHandle::isAlive).toList();
        if (tree.isEmpty()) {
            return;
        }
        System.out.printf("%s stopping %s%n", Instant.now(), tree.stream().map(ProcessHandle::pid).toList());
        tree.forEach(ProcessHandle::destroy);
        try {
            CompletableFuture.allOf(tree.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new))
                    .get(GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            tree.forEach(ProcessHandle::destroyForcibly);
        } catch (InterruptedException e) {
            tree.forEach(ProcessHandle::destroyForcibly);
            Thread.currentThread().interrupt();
        }
    }
}
