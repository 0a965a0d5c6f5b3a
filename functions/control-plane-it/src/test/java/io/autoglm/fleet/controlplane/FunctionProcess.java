package io.autoglm.fleet.controlplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
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
import java.util.concurrent.TimeUnit;

/**
 * One function as it is deployed: its packaged Quarkus app ({@code target/quarkus-app/quarkus-run.jar})
 * started as a JVM of its own on a free loopback port, ready once {@code /q/health/ready} answers 200.
 * {@code FUNCTION_JAVA_OPTS} adds JVM options (a profiler, other heap settings).
 */
final class FunctionProcess implements AutoCloseable {

    /**
     * What the memory figures are measured with (and the functions' READMEs recommend): a small heap, the serial
     * collector and the C1 compiler only (a function JVM on a small machine otherwise spends its first minute
     * compiling with C2); {@code -Dfunction.jvm.options} replaces them.
     */
    static final String DEFAULT_JVM_OPTIONS = System.getProperty("function.jvm.options",
            "-Xms16m -Xmx96m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:MaxDirectMemorySize=32m -Xss512k");

    private final String name;
    private final Process process;
    private final URI url;
    private final Path log;

    private FunctionProcess(String name, Process process, URI url, Path log) {
        this.name = name;
        this.process = process;
        this.url = url;
        this.log = log;
    }

    /**
     * Starts the function {@code name} (its jar path is the system property {@code function.<name>.jar}) with
     * {@code config} as system properties, and waits until it is ready.
     */
    static FunctionProcess start(String name, Map<String, String> config, Path logDirectory) {
        String jar = System.getProperty("function." + name + ".jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("the " + name + " function is not packaged (function." + name + ".jar=" + jar
                    + "): run the tests through Maven, which builds it first (mvn verify -pl functions/control-plane-it -am)");
        }
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions(name));
        command.addAll(List.of("-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1"));
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar);
        try {
            Files.createDirectories(logDirectory);
            Path log = logDirectory.resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            // glibc's per-thread malloc arenas otherwise add tens of MB of resident memory to a JVM
            builder.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
            Process process = builder.start();
            FunctionProcess function = new FunctionProcess(name, process, URI.create("http://127.0.0.1:" + port + "/"), log);
            function.awaitReady(Duration.ofSeconds(90));
            return function;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the " + name + " function", e);
        }
    }

    /**
     * A function's JVM options: {@link #DEFAULT_JVM_OPTIONS}, then whatever {@code FUNCTION_JAVA_OPTS} adds. The
     * heartbeat function, on the path of every device's every heartbeat, keeps C2 (as in its manifest): half the CPU
     * per heartbeat of C1 alone, for ~45 MB more RSS (BENCHMARKS.md).
     */
    static List<String> jvmOptions(String name) {
        List<String> options = new ArrayList<>(List.of(DEFAULT_JVM_OPTIONS.split(" ")));
        if (name.equals("heartbeat") && System.getProperty("function.jvm.options") == null) {
            options.remove("-XX:TieredStopAtLevel=1");
        }
        String extra = System.getenv("FUNCTION_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            options.addAll(List.of(extra.trim().split("\\s+")));
        }
        return options;
    }

    URI url() {
        return url;
    }

    long pid() {
        return process.pid();
    }

    /** CPU time the process has used so far. */
    java.time.Duration cpuTime() {
        return process.toHandle().info().totalCpuDuration().orElse(java.time.Duration.ZERO);
    }

    /** Resident set size in MB, from {@code /proc}; -1 where there is none. */
    long residentMegabytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** The body of {@code /q/health/ready}, for the counters functions report there. */
    String readiness() {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(url.resolve("/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the " + name + " function exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (http.send(HttpRequest.newBuilder(url.resolve("/q/health/ready")).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(200);
        }
        throw new IllegalStateException("the " + name + " function was not ready within " + timeout + "; see " + log);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
