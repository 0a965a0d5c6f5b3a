package io.autoglm.fleet.local;

import io.autoglm.fleet.pulsar.local.ProcessTrees;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One process of the local stack (the broker, the sink, the dispatcher, a function, the simulator):
 * started with its output appended to a log file (or on the terminal), ready once its health endpoint
 * says so, started again the same way when it died ({@link #relaunch(int)}, for the {@link Supervisor}),
 * stopped politely then forcibly. Children run in a session of their own where {@code setsid} exists,
 * so Ctrl-C reaches only the launcher, which then stops them in order.
 */
final class StackProcess {

    /** Starts the process once more, the same way. */
    @FunctionalInterface
    interface Launcher {
        Process launch() throws IOException;
    }

    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final int port;
    private final Path log;
    private final Launcher launcher;
    private volatile Process process;
    private volatile long started = System.nanoTime();

    private StackProcess(String name, int port, Path log, Launcher launcher, Process running) {
        this.name = Objects.requireNonNull(name, "name");
        this.port = port;
        this.log = log;
        this.launcher = Objects.requireNonNull(launcher, "launcher");
        this.process = Objects.requireNonNull(running, "running");
    }

    /** A process already started by {@code launcher}, which starts it again when asked. */
    static StackProcess of(String name, int port, Path log, Process running, Launcher launcher) {
        return new StackProcess(name, port, log, launcher, running);
    }

    /**
     * Starts {@code command} in {@code directory}.
     *
     * @param log where its output goes (appended, so what an earlier start wrote stays); null to share the launcher's terminal
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
            builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        }
        Launcher launcher = builder::start;
        return new StackProcess(name, port, log, launcher, launcher.launch());
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

    /** Starts the process again (after it died), the same way as the first time; its log says where the new start begins. */
    Process relaunch(int restart) throws IOException {
        if (log != null) {
            Files.writeString(log, String.format("%n---- %s: started again by the local stack (restart %d) ----%n", java.time.Instant.now(), restart),
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        }
        Process next = launcher.launch();
        started = System.nanoTime();
        process = next;
        return next;
    }

    /** Waits until {@code GET path} answers 200, the process died, or the time is up. */
    boolean awaitHealthy(String path, Duration timeout) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        Process current = process;
        while (System.nanoTime() < deadline && current.isAlive()) {
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

    /** The last {@code lines} lines of its log (empty when it has none or wrote nothing). */
    List<String> logTail(int lines) {
        if (log == null || !Files.isRegularFile(log)) {
            return List.of();
        }
        // the end of the file is enough: a log can be tens of MB
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            int window = (int) Math.min(length, 64 * 1024);
            byte[] end = new byte[window];
            file.seek(length - window);
            file.readFully(end);
            List<String> all = Arrays.asList(new String(end, StandardCharsets.UTF_8).split("\r?\n"));
            List<String> kept = new ArrayList<>(all.subList(window < length && all.size() > 1 ? 1 : 0, all.size()));
            kept.removeIf(String::isBlank);
            return List.copyOf(kept.subList(Math.max(0, kept.size() - lines), kept.size()));
        } catch (IOException e) {
            return List.of("(cannot read " + log + ": " + e.getMessage() + ")");
        }
    }

    /** Seconds since the current start, for the readiness report. */
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

    /** The current start of the process (a new one after each {@link #relaunch()}). */
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
