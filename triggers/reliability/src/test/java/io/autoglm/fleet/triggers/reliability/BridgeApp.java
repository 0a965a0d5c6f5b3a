package io.autoglm.fleet.triggers.reliability;

import io.autoglm.fleet.pulsar.local.ProcessTrees;
import io.autoglm.fleet.pulsar.local.PulsarStandalone;
import io.autoglm.fleet.local.LocalSigningKey;
import io.autoglm.fleet.local.LocalStack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The built sink or dispatcher application ({@code target/quarkus-app/quarkus-run.jar}) as a process
 * of its own, as it runs in production: started with its settings on a fixed port, ready when its
 * readiness check says so, killed ({@code kill -9}) or stopped, and started again on the same port.
 */
final class BridgeApp implements AutoCloseable {

    static final Path REPO = Path.of(System.getProperty("autoglm.repo", "../..")).toAbsolutePath().normalize();
    /** The key pair the tests' tokens are signed with: made on first use, under target/ (none is committed). */
    static final LocalSigningKey SIGNING_KEY = LocalSigningKey.in(REPO.resolve("triggers/reliability/target/jwt"));
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final List<String> jvm;
    private final Path jar;
    private final Map<String, String> properties;
    private final Path log;
    private final int port;
    private Process process;

    private BridgeApp(String name, List<String> jvm, Path jar, Map<String, String> properties, Path log) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is not built: run the tests through Maven (mvn verify), which packages it first");
        }
        this.name = name;
        this.jvm = jvm;
        this.jar = jar;
        this.port = PulsarStandalone.freePort();
        this.properties = new LinkedHashMap<>(properties);
        this.properties.put("quarkus.http.port", Integer.toString(port));
        this.log = log;
    }

    static BridgeApp dispatcher(String serviceUrl, String namespace, Path triggers, Map<String, URI> subscribers, Path logs)
            throws IOException {
        return dispatcher(serviceUrl, namespace, triggers, subscribers, Map.of(), logs);
    }

    /** @param settings more of the dispatcher's settings (e.g. {@code autoglm.dispatcher.max-pause}) */
    static BridgeApp dispatcher(String serviceUrl, String namespace, Path triggers, Map<String, URI> subscribers,
            Map<String, String> settings, Path logs) throws IOException {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("autoglm.pulsar.service-url", serviceUrl);
        properties.put("autoglm.pulsar.namespace", namespace);
        properties.put("autoglm.dispatcher.triggers", triggers.toString());
        properties.put("autoglm.dispatcher.topic-discovery", "1s");
        properties.put("autoglm.dispatcher.stats-interval", "0s");
        subscribers.forEach((service, uri) -> properties.put("autoglm.dispatcher.subscribers." + service, uri.toString()));
        properties.putAll(settings);
        return new BridgeApp("trigger-dispatcher", LocalStack.DISPATCHER_JVM, REPO.resolve("triggers/dispatcher/target/quarkus-app/quarkus-run.jar"), properties,
                logs.resolve("trigger-dispatcher.log"));
    }

    static BridgeApp sink(String serviceUrl, String namespace, Path logs) throws IOException {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("autoglm.pulsar.service-url", serviceUrl);
        properties.put("autoglm.pulsar.namespace", namespace);
        properties.put("mp.jwt.verify.publickey.location", SIGNING_KEY.publicKey().toString());
        return new BridgeApp("ingress-sink", LocalStack.SINK_JVM, REPO.resolve("triggers/sink/target/quarkus-app/quarkus-run.jar"), properties,
                logs.resolve("ingress-sink.log"));
    }

    /**
     * A device gateway replica: enrolment tokens verified with the tests' key, device credentials signed with {@code secret}
     * (base64, shared by every replica), screenshots under {@code logs}.
     */
    static BridgeApp gateway(String serviceUrl, String namespace, String replica, String secret, Map<String, String> settings, Path logs)
            throws IOException {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("autoglm.pulsar.service-url", serviceUrl);
        properties.put("autoglm.pulsar.namespace", namespace);
        properties.put("mp.jwt.verify.publickey.location", SIGNING_KEY.publicKey().toString());
        properties.put("autoglm.gateway.replica", replica);
        properties.put("autoglm.gateway.credentials.secret", secret);
        properties.put("autoglm.gateway.screenshots.store", logs.resolve("screenshots").toString());
        properties.putAll(settings);
        return new BridgeApp(replica, LocalStack.GATEWAY_JVM, REPO.resolve("triggers/device-gateway/target/quarkus-app/quarkus-run.jar"),
                properties, logs.resolve(replica + ".log"));
    }

    /** A control-plane function ({@code functions/<name>}) as the local stack runs it, with more of its settings. */
    static BridgeApp function(String name, String serviceUrl, String namespace, Map<String, String> settings, Path logs) throws IOException {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("autoglm.pulsar.service-url", serviceUrl);
        properties.put("autoglm.pulsar.namespace", namespace);
        properties.putAll(settings);
        return new BridgeApp(name, LocalStack.CONTROL_JVM, REPO.resolve("functions").resolve(name).resolve("target/quarkus-app/quarkus-run.jar"), properties, logs.resolve(name + ".log"));
    }

    /**
     * The commands function; its queries take tokens signed with the tests' key.
     *
     * @param settings more of its settings (e.g. {@code autoglm.commands.execution-timeout})
     */
    static BridgeApp commands(String serviceUrl, String namespace, Map<String, String> settings, Path logs) throws IOException {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("mp.jwt.verify.publickey.location", SIGNING_KEY.publicKey().toString());
        properties.putAll(settings);
        return function("commands", serviceUrl, namespace, properties, logs);
    }

    /** The WebSocket endpoint devices connect to. */
    URI devicesUri() {
        return URI.create("ws://127.0.0.1:" + port + "/devices/v1");
    }

    /** Starts the process and waits for readiness. */
    BridgeApp start() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvm);
        // e.g. -Dbridge.jvm.options=-XX:StartFlightRecording=filename=/tmp/dispatcher.jfr to profile
        String extra = System.getProperty("bridge.jvm.options", "");
        if (!extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // as in the manifests: glibc's per-thread malloc arenas would otherwise add tens of MiB of RSS
        builder.environment().put("MALLOC_ARENA_MAX", "2");
        process = builder.start();
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ProcessTrees.stop(started.toHandle(), Duration.ofSeconds(5))));
        HttpRequest ready = HttpRequest.newBuilder(URI.create(url() + "/q/health/ready")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " did not get ready; see " + log);
    }

    /** {@code kill -9}: no shutdown hook, nothing acknowledged on the way out. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    void stop() {
        if (process != null) {
            ProcessTrees.stop(process.toHandle(), Duration.ofSeconds(15));
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    long pid() {
        return Objects.requireNonNull(process, "not started").pid();
    }

    /** CPU time the process has used so far, in nanoseconds. */
    long cpuNanos() {
        return cpuNanos(Objects.requireNonNull(process, "not started").toHandle());
    }

    /** CPU time a process and its descendants have used so far, in nanoseconds (from {@code /proc}: 10 ms resolution). */
    static long cpuNanos(ProcessHandle process) {
        return Stream.concat(Stream.of(process), process.descendants())
                .mapToLong(handle -> handle.info().totalCpuDuration().map(Duration::toNanos).orElse(0L))
                .sum();
    }

    /** Resident set size in MiB, from {@code /proc/<pid>/status}; -1 where that file does not exist. */
    double rssMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    @Override
    public void close() {
        stop();
    }
}
