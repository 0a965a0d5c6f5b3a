package io.autoglm.fleet.local;

import io.autoglm.fleet.pulsar.local.ProcessTrees;
import io.autoglm.fleet.pulsar.local.ProcessWatchdog;
import io.autoglm.fleet.pulsar.local.PulsarStandalone;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code scripts/run-local}: the whole system on one machine. A Pulsar standalone broker on loopback,
 * the ingress sink, the functions and the trigger dispatcher as local processes on free ports, wired
 * by the same Trigger objects as the cluster ({@code knative/base/triggers/triggers.yaml}), then the
 * fleet simulator with its live status. Ctrl-C, or the end of {@code --duration}, stops everything in
 * order (simulator, dispatcher, sink, functions, broker) and checks nothing is left running. A function
 * whose module is not in this checkout, or is not built, is reported as missing and its Trigger is
 * not run; nothing stands in for it.
 */
public final class LocalStack {

    private static final Duration GRACE = Duration.ofSeconds(15);
    private static final String TRIGGERS = "knative/base/triggers/triggers.yaml";
    /** The processes without which the stack is no use: when one of them cannot be kept running, the run ends. */
    private static final java.util.Set<String> VITAL = java.util.Set.of("pulsar", "ingress-sink", "trigger-dispatcher");
    /** Console lines kept free after a report while the simulator rewrites its live status in place (a terminal only). */
    private static final int STATUS_LINES = 8;
    /**
     * As in knative/base/bridge: the dispatcher, on the path of every event, keeps C2 (1.5-1.8x the
     * throughput of C1 alone, BENCHMARKS.md); the sink runs C1 only, which keeps C2's compiler arenas
     * (about 30 MiB) out of its RSS. The bridge's reliability tests and benchmark start them the same way.
     * The dispatcher's young generation is fixed at 32 MiB: with the default (a third of a heap that
     * starts small) young collections came every ~0.3 s and copied the events in hand each time, promoting
     * them into full collections (3.3 s of pauses per 120,000 events; 0.8 s with this and 256 events in hand).
     */
    public static final List<String> DISPATCHER_JVM = List.of("-Xms48m", "-Xmx96m", "-Xmn32m", "-XX:MaxDirectMemorySize=32m", "-XX:+UseSerialGC",
            "-Xss512k", "-XX:ReservedCodeCacheSize=64m", "-XX:+ExitOnOutOfMemoryError");
    public static final List<String> SINK_JVM = List.of("-Xms32m", "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Xss512k", "-XX:ReservedCodeCacheSize=64m", "-XX:+ExitOnOutOfMemoryError");

    /**
     * The device gateway, as its manifest runs it: C1 only and a small heap (its sockets' buffers are Netty's, off heap, and
     * bounded per connection).
     */
    public static final List<String> GATEWAY_JVM = List.of("-Xms32m", "-Xmx128m", "-XX:MaxDirectMemorySize=64m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-Xss512k", "-XX:ReservedCodeCacheSize=64m", "-XX:+ExitOnOutOfMemoryError");
    private static final int GATEWAY_REPLICAS = 2;
    /** The simulated agent model's process: part of the simulation, so its cost is the load's, not the stack's. */
    static final String AGENT_MODEL = "agent-model";

    /** The control-plane functions, as in knative/base/functions and measured in BENCHMARKS.md (Memory); the heartbeat function adds C2. */
    public static final List<String> CONTROL_JVM = List.of("-Xms32m", "-Xmx96m", "-XX:MaxDirectMemorySize=32m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-Xss512k", "-XX:+ExitOnOutOfMemoryError");

    /** A function of the system: its module, the heap it gets, and its own settings. */
    private record FunctionSpec(String name, List<String> jvm, Map<String, String> properties, Map<String, String> environment,
            Duration readyTimeout) {
        Path jar(Path repo) {
            return repo.resolve("functions").resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
        }
    }

    private final Path repo;
    private final Path state;
    private final StackOptions options;
    private final List<StackProcess> processes = new ArrayList<>();
    private final ResourceUse resources = new ResourceUse();
    private final Map<String, String> missing = new LinkedHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "local-stack-supervisor");
        thread.setDaemon(true);
        return thread;
    });
    /** Completes with the run's exit status: the simulator ended, --duration is over, or a vital process could not be kept running. */
    private final CompletableFuture<Integer> end = new CompletableFuture<>();
    private final Supervisor supervisor;
    private LocalSigningKey signingKey;
    private PulsarStandalone broker;
    private List<StackProcess> gateways = List.of();
    private StackProcess simulator;
    private boolean agentModelServed;
    private volatile boolean stopping;

    private LocalStack(Path repo, StackOptions options) {
        this.repo = repo;
        this.state = repo.resolve(".local-stack");
        this.options = options;
        this.supervisor = new Supervisor(LocalStack::report, (delay, task) -> scheduler.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS),
                System::nanoTime, this::gaveUp);
    }

    public static void main(String[] args) throws Exception {
        // the Pulsar client's INFO lines would drown the status: warnings and errors only
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        // the console is the status: the Pulsar client's retries while the broker starts are not news (process logs: .local-stack/logs)
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.pulsar", System.getProperty("org.slf4j.simpleLogger.log.org.apache.pulsar", "error"));
        StackOptions options;
        try {
            options = StackOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Path repo = Path.of(System.getProperty("autoglm.repo", ".")).toAbsolutePath().normalize();
        LocalStack stack = new LocalStack(repo, options);
        Thread shutdown = new Thread(stack::stopAll, "local-stack-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        int status = stack.run();
        Runtime.getRuntime().removeShutdownHook(shutdown);
        stack.stopAll();
        System.exit(status);
    }

    private int run() throws Exception {
        stopLeftovers();
        PulsarStandalone.deleteTree(state.resolve("logs"));
        Files.createDirectories(state.resolve("logs"));
        say("autoglm-fleet local stack: %s (logs in %s)", repo, repo.relativize(state.resolve("logs")));
        boolean fresh = !Files.exists(state.resolve("jwt").resolve("private.pem"));
        signingKey = LocalSigningKey.in(state.resolve("jwt"));
        say("  %-19s %s %s (tokens are signed with %s)", "signing key", fresh ? "made" : "kept", repo.relativize(signingKey.publicKey()),
                repo.relativize(signingKey.privateKey()));

        startBroker();
        agentModelServed = startAgentModel();
        List<StackProcess> functions = startFunctions(agentModelServed);
        StackProcess sink = startSink();
        StackProcess dispatcher = startDispatcher(functions);
        List<StackProcess> gateways = startGateways();
        if (!await(sink, "/q/health/ready", Duration.ofSeconds(60)) | !await(dispatcher, "/q/health/ready", Duration.ofSeconds(90))) {
            say("the bridge did not start; see the logs above. Stopping.");
            return 1;
        }
        for (StackProcess gateway : List.copyOf(gateways)) {
            if (!await(gateway, "/q/health/ready", Duration.ofSeconds(60))) {
                say("  %s did not get ready: the devices connect to the other replicas", gateway.name());
                gateway.stop(GRACE);
                gateways.remove(gateway);
                processes.remove(gateway);
            }
        }
        this.gateways = gateways;
        List<StackProcess> all = new ArrayList<>(processes);
        ProcessWatchdog.watch(ProcessHandle.current(), processes.stream().map(p -> p.process().toHandle()).toList(),
                state.resolve("logs").resolve("watchdog.log"));
        for (StackProcess process : all) {
            supervise(process, HEALTHY);
        }
        report(all);
        if (!options.simulate()) {
            say("%nNo simulator (--no-simulator). Send events to the sink with a token signed by %s, e.g.", repo.relativize(signingKey.privateKey()));
            say("  curl -H \"Authorization: Bearer <JWT>\" -H 'ce-specversion: 1.0' ... %s/", sink.url());
            say(options.duration().map(d -> "Stops after " + d.toString().substring(2).toLowerCase(Locale.ROOT) + ", or on Ctrl-C.")
                    .orElse("Ctrl-C stops everything."));
            options.duration().ifPresent(duration -> scheduler.schedule(() -> end.complete(0), duration.toMillis(), TimeUnit.MILLISECONDS));
        } else {
            simulator = startSimulator(sink);
            // every process's CPU and RSS, counted from the simulator's warm-up on
            scheduler.scheduleAtFixedRate(this::sampleResources, 0, 5, TimeUnit.SECONDS);
            scheduler.schedule(() -> {
                sampleResources();
                resources.startWindow();
            }, options.warmUp().orElse(Duration.ZERO).toMillis(), TimeUnit.MILLISECONDS);
            simulator.process().onExit().thenAccept(exited -> {
                if (!stopping && exited.exitValue() != 0) {
                    report("!! fleet-simulator ended with " + Supervisor.exitStatus(exited.exitValue()) + ": stopping.");
                }
                end.complete(exited.exitValue());
            });
        }
        int exit = end.get();
        if (stopping) {
            return 0;
        }
        return exit != 0 ? exit : supervisor.deaths().isEmpty() ? 0 : 1;
    }

    /** How to tell that a process (started again) is ready. */
    @FunctionalInterface
    private interface Readiness {
        boolean await(StackProcess process, Duration timeout) throws InterruptedException;
    }

    private static final Readiness HEALTHY = (process, timeout) -> process.awaitHealthy("/q/health/ready", timeout);

    /** Watches {@code process}: reported when it dies, started again, and said so once it is ready again. */
    private void supervise(StackProcess process, Readiness readiness) {
        supervisor.supervise(process, RestartBackoff.standard(), (restarted, count) -> CompletableFuture.runAsync(() -> {
            try {
                remember(restarted.process().toHandle(), restarted.name());
                ProcessWatchdog.watch(ProcessHandle.current(), List.of(restarted.process().toHandle()),
                        state.resolve("logs").resolve("watchdog-" + restarted.name() + "-" + count + ".log"));
                boolean ready = readiness.await(restarted, Duration.ofMinutes(3));
                if (!stopping && restarted.alive()) {
                    report(String.format(Locale.ROOT, ready ? "!! %s is back: ready in %.1f s (restart %d)"
                            : "!! %s was started again but is not ready after %.0f s (restart %d)", restarted.name(), restarted.secondsSinceStart(), count));
                }
            } catch (IOException e) {
                report("!! " + restarted.name() + ": cannot watch its restart: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
    }

    /** A process will not be started again: a vital one ends the run; without a function the rest goes on. */
    private void gaveUp(String name) {
        if (VITAL.contains(name)) {
            report("!! the stack cannot go on without " + name + ": stopping.");
            end.complete(1);
        } else {
            report("!! going on without " + name + ": its Trigger's events wait in Pulsar or go to dead letters.");
        }
    }

    private void startBroker() throws IOException {
        Path distribution = distribution();
        Path home = state.resolve("pulsar");
        PulsarStandalone.deleteTree(home);
        broker = PulsarStandalone.in(distribution, home);
        long started = System.nanoTime();
        say("  %-19s starting (about 20 s)...", "pulsar");
        broker.start(Duration.ofMinutes(3));
        remember(broker.process().toHandle(), "pulsar");
        ProcessWatchdog.watch(ProcessHandle.current(), List.of(broker.process().toHandle()), state.resolve("logs").resolve("watchdog-pulsar.log"));
        // the broker's data and ports stay, so a restart is the same broker
        supervise(StackProcess.of("pulsar", 0, broker.log(), broker.process(), broker::launch),
                (process, timeout) -> PulsarStandalone.awaitRoundTrip(broker.serviceUrl(), process.process(), timeout));
        say("  %-19s %s  admin %s  ready in %.1f s", "pulsar", broker.serviceUrl(), broker.adminUrl(),
                (System.nanoTime() - started) / 1e9);
    }

    private Path distribution() throws IOException {
        String configured = System.getProperty("pulsar.distribution.dir");
        if (configured != null) {
            return Path.of(configured);
        }
        Path root = repo.resolve("target/pulsar-dist");
        try (Stream<Path> candidates = Files.isDirectory(root) ? Files.list(root) : Stream.empty()) {
            return candidates.filter(dir -> dir.getFileName().toString().startsWith("apache-pulsar-")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("No Pulsar distribution in " + root
                            + ": run scripts/run-local (it unpacks org.apache.pulsar:pulsar-server-distribution through Maven)"));
        }
    }

    /**
     * The phone agent's model, before the functions (the inference function is ready once its backends list their models):
     * the simulated one as a process of the stack, or a real backend named on the command line; either published as a
     * remote version of the model store (again only when it changed). False when there is none to serve: the inference
     * function then serves the seed model alone.
     */
    private boolean startAgentModel() throws IOException, InterruptedException {
        StackOptions.AgentModel model = options.agentModel();
        if (!Files.isDirectory(repo.resolve("functions/inference"))) {
            return false;
        }
        if (model.simulated()) {
            Path jar = repo.resolve("scripts/fleet-simulator/target/fleet-simulator.jar");
            if (!Files.isRegularFile(jar)) {
                say("  %-19s not built (%s): the inference function serves the seed model only", AGENT_MODEL, repo.relativize(jar));
                return false;
            }
            if (!portFree(model.port())) {
                say("  %-19s port %d of 127.0.0.1 is taken: no agent model (choose another with --agent-model-port)", AGENT_MODEL, model.port());
                return false;
            }
            StackProcess process = launch(AGENT_MODEL, model.port(), StackProcess.java(List.of("-Xms16m", "-Xmx64m", "-XX:+UseSerialGC"),
                    Map.of(), List.of("-cp", simulatorClasspath(jar), "io.autoglm.fleet.simulator.FleetSimulator", "--agent-model-only",
                            "--agent-model-port", Integer.toString(model.port()), "--seed", Long.toString(options.seed()))), Map.of());
            if (!await(process, "/v1/models", Duration.ofSeconds(30))) {
                process.stop(GRACE);
                processes.remove(process);
                return false;
            }
        }
        Path draft = Files.createDirectories(state.resolve(AGENT_MODEL));
        Files.writeString(draft.resolve("model.json"), model.manifest());
        Path log = state.resolve("logs").resolve("agent-model-store.log");
        Process publish = new ProcessBuilder(repo.resolve("scripts/model-store").toString(), "--store", repo.resolve("model-store-data").toString(),
                "publish", draft.toString(), "--promote", "stable", "--if-changed")
                .directory(repo.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!publish.waitFor(3, TimeUnit.MINUTES) || publish.exitValue() != 0) {
            publish.destroyForcibly();
            say("  %-19s could not be published to model-store-data (see %s): the inference function serves the seed model only",
                    model.name(), repo.relativize(log));
            return false;
        }
        say("  %-19s %s at %s%s (%s)", AGENT_MODEL, model.name(), model.baseUrl(), model.simulated() ? ", a simulation" : "",
                Files.readAllLines(log).stream().filter(line -> line.contains(model.name() + "@")).reduce((a, b) -> b).orElse("published"));
        return true;
    }

    private List<StackProcess> startFunctions(boolean agentModel) throws IOException, InterruptedException {
        // the inference function serves the agent model beside the seed model
        String models = "all-minilm-l6-v2" + (agentModel ? "," + options.agentModel().name() : "");
        Map<String, String> djl = Map.of("DJL_OFFLINE", "true", "OPT_OUT_TRACKING", "true", "ORT_DISABLE_TELEMETRY", "1");
        List<FunctionSpec> specs = List.of(
                new FunctionSpec("registry", CONTROL_JVM, Map.of(), Map.of(), Duration.ofSeconds(60)),
                // every heartbeat passes here: C2, as in its manifest
                new FunctionSpec("heartbeat", CONTROL_JVM.stream().filter(option -> !option.startsWith("-XX:TieredStopAtLevel")).toList(),
                        Map.of(), Map.of(), Duration.ofSeconds(60)),
                new FunctionSpec("router", CONTROL_JVM, Map.of(), Map.of(), Duration.ofSeconds(60)),
                // its queries take the sink's tokens
                new FunctionSpec("commands", CONTROL_JVM, Map.of("mp.jwt.verify.publickey.location", signingKey.publicKey().toString()), Map.of(),
                        Duration.ofSeconds(60)),
                // the tasks' HTTP API takes the sink's tokens too
                new FunctionSpec("agent", CONTROL_JVM, Map.of("mp.jwt.verify.publickey.location", signingKey.publicKey().toString()), Map.of(),
                        Duration.ofSeconds(60)),
                // as the CPU manifest runs it (its AOT cache needs JDK 25 and a training run: not here), CPU provider only,
                // as the default build ships ONNX Runtime without the GPU providers
                new FunctionSpec("inference", List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:CompileThresholdScaling=8",
                        "-XX:+ExitOnOutOfMemoryError"),
                        Map.of("autoglm.inference.store", repo.resolve("model-store-data").toString(), "autoglm.inference.providers", "cpu",
                                "autoglm.inference.models", models),
                        djl, Duration.ofSeconds(180)));
        List<StackProcess> started = new ArrayList<>();
        Map<StackProcess, FunctionSpec> starting = new LinkedHashMap<>();
        for (FunctionSpec spec : specs) {
            Path module = repo.resolve("functions").resolve(spec.name());
            if (!Files.isDirectory(module)) {
                missing(spec.name(), "functions/" + spec.name() + " is not in this checkout yet");
                continue;
            }
            if (!Files.isRegularFile(spec.jar(repo))) {
                missing(spec.name(), "functions/" + spec.name() + " is not built (scripts/run-local --rebuild)");
                continue;
            }
            int port = PulsarStandalone.freePort();
            Map<String, String> properties = service(port, broker.serviceUrl());
            properties.putAll(spec.properties());
            StackProcess process = launch(spec.name(), port, StackProcess.java(spec.jvm(), properties,
                    List.of("-jar", spec.jar(repo).toString())), spec.environment());
            starting.put(process, spec);
        }
        for (Map.Entry<StackProcess, FunctionSpec> entry : starting.entrySet()) {
            if (await(entry.getKey(), "/q/health/ready", entry.getValue().readyTimeout())) {
                started.add(entry.getKey());
            } else {
                missing(entry.getKey().name(), "did not get ready; see " + repo.relativize(entry.getKey().log()));
                entry.getKey().stop(GRACE);
            }
        }
        return started;
    }

    private StackProcess startSink() throws IOException {
        Path jar = bridgeJar("sink");
        int port = PulsarStandalone.freePort();
        Map<String, String> properties = service(port, broker.serviceUrl());
        properties.put("mp.jwt.verify.publickey.location", signingKey.publicKey().toString());
        return launch("ingress-sink", port, StackProcess.java(SINK_JVM, properties, List.of("-jar", jar.toString())), Map.of());
    }

    private StackProcess startDispatcher(List<StackProcess> functions) throws IOException {
        Path jar = bridgeJar("dispatcher");
        int port = PulsarStandalone.freePort();
        Map<String, String> properties = service(port, broker.serviceUrl());
        properties.put("autoglm.dispatcher.triggers", repo.resolve(TRIGGERS).toString());
        properties.put("autoglm.dispatcher.topic-discovery", "1s");
        properties.put("autoglm.dispatcher.stats-interval", "0s");
        properties.put("autoglm.dispatcher.admin-url", broker.adminUrl());
        for (StackProcess function : functions) {
            properties.put("autoglm.dispatcher.subscribers." + function.name(), function.url());
        }
        if (!missing.isEmpty()) {
            // each function's Trigger has the function's name (knative/base/triggers/triggers.yaml)
            properties.put("autoglm.dispatcher.skip", String.join(",", missing.keySet()));
        }
        return launch("trigger-dispatcher", port, StackProcess.java(DISPATCHER_JVM, properties, List.of("-jar", jar.toString())), Map.of());
    }

    /**
     * The device gateway's replicas ({@value #GATEWAY_REPLICAS}), each on a port of its own, as a cluster runs several behind
     * one address: the simulated devices spread over them and move to another when one goes. They verify enrolment tokens
     * with the sink's key, and sign device credentials with one secret they share (kept in the stack's state, so devices stay
     * enrolled across runs). Without the gateway built, the devices send to the sink as before and receive nothing.
     */
    private List<StackProcess> startGateways() throws IOException {
        Path jar = repo.resolve("triggers/device-gateway/target/quarkus-app/quarkus-run.jar");
        List<StackProcess> started = new ArrayList<>();
        if (!Files.isRegularFile(jar)) {
            say("  %-19s not built (%s): devices send to the sink and receive no commands", "device-gateway", repo.relativize(jar));
            return started;
        }
        String secret = GatewaySecret.in(state.resolve("gateway"));
        for (int replica = 0; replica < GATEWAY_REPLICAS; replica++) {
            String name = "device-gateway-" + replica;
            int port = PulsarStandalone.freePort();
            Map<String, String> properties = service(port, broker.serviceUrl());
            properties.put("mp.jwt.verify.publickey.location", signingKey.publicKey().toString());
            properties.put("autoglm.gateway.replica", name);
            properties.put("autoglm.gateway.credentials.secret", secret);
            properties.put("autoglm.gateway.screenshots.store", state.resolve("blobs").toString());
            started.add(launch(name, port, StackProcess.java(GATEWAY_JVM, properties, List.of("-jar", jar.toString())), Map.of()));
        }
        return started;
    }

    private StackProcess startSimulator(StackProcess sink) throws IOException {
        Path jar = repo.resolve("scripts/fleet-simulator/target/fleet-simulator.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("The fleet simulator is not built (" + jar + "): scripts/run-local --rebuild");
        }
        List<String> arguments = new ArrayList<>(List.of("-cp", simulatorClasspath(jar), "io.autoglm.fleet.simulator.FleetSimulator",
                "--sink", sink.url(), "--pulsar", broker.serviceUrl(),
                "--signing-key", signingKey.privateKey().toString(),
                "--devices", Integer.toString(options.devices()), "--tenants", String.join(",", options.tenants()),
                "--seed", Long.toString(options.seed())));
        options.duration().ifPresent(duration -> arguments.addAll(List.of("--duration", duration.toString())));
        options.commandsPerSecond().ifPresent(rate -> arguments.addAll(List.of("--commands-per-second", rate.toString())));
        options.warmUp().ifPresent(warmUp -> arguments.addAll(List.of("--warm-up", warmUp.toString())));
        if (options.answerAtOnce()) {
            arguments.add("--answer-at-once");
        }
        boolean agentFunction = !missing.containsKey("agent") && Files.isDirectory(repo.resolve("functions/agent/src/main"))
                && Files.isRegularFile(repo.resolve("functions/agent/target/quarkus-app/quarkus-run.jar"));
        double tasks = options.tasksPerMinute(agentFunction);
        if (tasks > 0) {
            arguments.addAll(List.of("--tasks-per-minute", Double.toString(tasks)));
            if (agentModelServed) {
                arguments.addAll(List.of("--task-model", options.agentModel().name()));
            }
        }
        if (!gateways.isEmpty()) {
            arguments.addAll(List.of("--gateways", gateways.stream().map(gateway -> gateway.url().replaceFirst("^http", "ws") + "/devices/v1")
                    .collect(java.util.stream.Collectors.joining(","))));
        }
        if (!missing.isEmpty()) {
            arguments.addAll(List.of("--missing", String.join(",", missing.keySet())));
        }
        StackProcess process = StackProcess.start("fleet-simulator", 0,
                StackProcess.java(List.of("-Xms32m", "-Xmx256m", "-XX:+UseSerialGC"), Map.of(), arguments), Map.of(), repo, null);
        processes.add(process);
        remember(process.process().toHandle(), "fleet-simulator");
        return process;
    }

    private static boolean portFree(int port) {
        try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
            socket.bind(new java.net.InetSocketAddress(PulsarStandalone.LOOPBACK, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The jar and its dependencies in target/lib (kept off its manifest, so the jar stays a plain library). */
    private static String simulatorClasspath(Path jar) {
        return jar + java.io.File.pathSeparator + jar.resolveSibling("lib") + java.io.File.separator + "*";
    }

    /**
     * The settings every HTTP service of the stack starts with: its port, on loopback only (the functions take
     * any tenant without a token; nothing else on the network may reach them), and the broker.
     */
    static Map<String, String> service(int port, String pulsarServiceUrl) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("quarkus.http.host", PulsarStandalone.LOOPBACK);
        properties.put("quarkus.http.port", Integer.toString(port));
        properties.put("autoglm.pulsar.service-url", pulsarServiceUrl);
        return properties;
    }

    private Path bridgeJar(String module) {
        Path jar = repo.resolve("triggers").resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("triggers/" + module + " is not built (" + jar + "): scripts/run-local --rebuild");
        }
        return jar;
    }

    private StackProcess launch(String name, int port, List<String> command, Map<String, String> environment) throws IOException {
        StackProcess process = StackProcess.start(name, port, command, environment, repo, state.resolve("logs").resolve(name + ".log"));
        processes.add(process);
        remember(process.process().toHandle(), name);
        return process;
    }

    private boolean await(StackProcess process, String health, Duration timeout) throws InterruptedException {
        if (process.awaitHealthy(health, timeout)) {
            say("  %-19s %-26s ready in %.1f s   log %s", process.name(), process.url(), process.secondsSinceStart(),
                    repo.relativize(process.log()));
            return true;
        }
        say("  %-19s FAILED: %s; see %s", process.name(), process.alive() ? "not ready within " + timeout : "exited",
                repo.relativize(process.log()));
        return false;
    }

    private void missing(String function, String why) {
        missing.put(function, why);
        say("  %-19s MISSING: %s; its Trigger is not run", function, why);
    }

    private void report(List<StackProcess> started) {
        say("%nRunning: pulsar + %d processes; Triggers from %s%s", started.size(), TRIGGERS,
                missing.isEmpty() ? "" : " (not run: " + String.join(", ", missing.keySet()) + ")");
    }

    /** Records a child so the next run can stop it if this launcher is killed before it cleans up. */
    private void remember(ProcessHandle process, String name) throws IOException {
        String line = process.pid() + " " + process.info().startInstant().map(Instant::toString).orElse("-") + " " + name + "\n";
        Files.writeString(state.resolve("processes"), line, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    }

    private void stopLeftovers() throws IOException {
        Path file = state.resolve("processes");
        if (!Files.exists(file)) {
            return;
        }
        for (String line : Files.readAllLines(file)) {
            String[] fields = line.split(" ", 3);
            if (fields.length < 3) {
                continue;
            }
            Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(fields[0])).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().startInstant().map(Instant::toString).orElse("-").equals(fields[1]));
            process.ifPresent(p -> {
                say("stopping %s (pid %d) left over from an earlier run", fields[2], p.pid());
                ProcessTrees.stop(p, GRACE);
            });
        }
        Files.delete(file);
    }

    private void sampleResources() {
        if (broker != null && broker.process() != null) {
            resources.sample("pulsar", broker.process().toHandle());
        }
        for (StackProcess process : List.copyOf(processes)) {
            resources.sample(process.name(), process.process().toHandle());
        }
    }

    /** Stops everything in order; safe to call twice (Ctrl-C and normal exit). */
    private synchronized void stopAll() {
        if (stopping) {
            return;
        }
        stopping = true;
        supervisor.stop();
        scheduler.shutdownNow();
        try {
            // a restart under way finishes first, so what it started is stopped below
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (simulator != null) {
            sampleResources();
            resources.report(options.devices(), java.util.Set.of(simulator.name(), AGENT_MODEL)).forEach(line -> say("%s", line));
        }
        if (simulator != null && simulator.alive()) {
            simulator.stop(Duration.ofSeconds(20)); // it prints its summary on the way out
        }
        List<StackProcess> bridgeFirst = new ArrayList<>(processes);
        bridgeFirst.remove(simulator);
        bridgeFirst.sort((a, b) -> Integer.compare(order(a), order(b)));
        for (int rank = 0; rank <= 2; rank++) {
            int current = rank;
            CompletableFuture.allOf(bridgeFirst.stream().filter(p -> order(p) == current)
                    .map(p -> CompletableFuture.runAsync(() -> p.stop(GRACE))).toArray(CompletableFuture[]::new)).join();
        }
        if (broker != null) {
            broker.stop();
        }
        long left = Stream.concat(processes.stream().map(StackProcess::process).map(Process::toHandle),
                broker == null || broker.process() == null ? Stream.empty() : Stream.of(broker.process().toHandle()))
                .flatMap(p -> Stream.concat(Stream.of(p), p.descendants())).filter(ProcessHandle::isAlive).count();
        say(left == 0 ? "%nStopped the local stack: nothing left running." : "%nStopped the local stack, but %d process(es) are still alive.", left);
        supervisor.summary().forEach(line -> say("%s", line));
        try {
            Files.deleteIfExists(state.resolve("processes"));
        } catch (IOException e) {
            // the next run cleans up
        }
    }

    /** Dispatcher first (no more deliveries), then the sink (no more events in), then the functions. */
    private static int order(StackProcess process) {
        return switch (process.name()) {
            case "trigger-dispatcher" -> 0;
            case "ingress-sink" -> 1;
            default -> 2;
        };
    }

    /**
     * A report from the supervisor. On a terminal, where the simulator rewrites its last lines in place, blank lines
     * follow it, so the next status overwrites those rather than the report.
     */
    private static void report(String text) {
        StringBuilder out = new StringBuilder(text).append(System.lineSeparator());
        if (System.console() != null) {
            out.append(System.lineSeparator().repeat(STATUS_LINES));
        }
        synchronized (System.out) {
            System.out.print(out);
            System.out.flush();
        }
    }

    private static void say(String format, Object... arguments) {
        System.out.println(String.format(format, arguments));
        System.out.flush();
    }
}
