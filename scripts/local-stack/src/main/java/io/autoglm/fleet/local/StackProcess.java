package io.autoglm.fleet.local;

import io.autoglm.fleet.events.pulsar.local.ProcessTrees;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One process of the local stack (the sink, the dispatcher, a function, the simulator): started
 * with its output in a log file (or the terminal), ready once its health endpoint says so, stopped
 * politely then forcibly. Children run in a session of their own where {@code setsid} exists, so
 * Ctrl-C reaches only the launcher, which then stops them in order.
 */
final class StackProcess {

    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final int port;
    private final Path log;
    private final Process process;
    private final long started = System.nanoTime();

    private StackProcess(String name, int port, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /**
     * Starts {@code command} in {@code directory}.
     *
     * @param log where its output goes; null to share the launcher's terminal
     */
    static StackProcess start(String name, int port, List<String> command, Map<String, String> environment, Path directory, Path log)
            throws IOException {
        List<String> full = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            full.add(SETSID.toString());
        }
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full).directory(directory.toFile());
        // glibc's per-thread malloc arenas add tens of MiB of RSS to every JVM otherwise
        builder.environment().put("MALLOC_ARENA_MAX", "2");
        builder.environment().putAll(environment);
        if (log == null) {
            builder.inheritIO();
        } else {
            Files.createDirectories(log.getParent());
            builder.redirectErrorStream(true).redirectOutput(log.toFile());
        }
        return new StackProcess(Objects.requireNonNull(name), port, log, builder.start());
    }

    /** A Java command line: this JVM's {@code java}, {@code jvmOptions}, system properties, then {@code main}. */
    static List<String> java(List<String> jvmOptions, Map<String, String> properties, List<String> main) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(main);
        return command;
    }

    /** Waits until {@code GET path} answers 200, the process died, or the time is up. */
    boolean awaitHealthy(String path, Duration timeout) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                if (HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return true;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        return false;
    }

    /** Seconds since start, for the readiness report. */
    double secondsSinceStart() {
        return (System.nanoTime() - started) / 1e9;
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    Path log() {
        return log;
    }

    Process process() {
        return process;
    }

    boolean alive() {
        return process.isAlive();
    }

    void stop(Duration grace) {
        ProcessTrees.stop(process.toHandle(), grace);
    }
}
