package io.autoglm.fleet.simulator;

import io.autoglm.fleet.simulator.agent.ModelLatency;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * The simulator's command line (given by {@code scripts/run-local}).
 *
 * @param missing  functions that are not running (their decisions will not come)
 * @param gateways the device gateway's replicas ({@code ws://host:port/devices/v1}); when given, devices connect there over
 *                 their own sockets and execute the commands that come down, otherwise they send to the sink and
 *                 receive nothing
 * @param agentModelPort where the simulated agent model ({@code autoglm-sim}) serves the OpenAI-compatible API on
 *                 127.0.0.1 ({@code --agent-model-port}); empty (the default): it is not served
 * @param agentModelBadReplies the share of its replies that are deliberately bad ({@code --agent-model-bad-replies}, 0.05)
 * @param agentModelLatency its time to the first token and to the end ({@code --agent-model-first-token PT0.35S},
 *                 {@code --agent-model-total PT1.2S})
 * @param commandsPerSecond the operators' commands per second over all tenants ({@code --commands-per-second}); empty:
 *                 the fleet's default (2 per tenant)
 * @param answerAtOnce devices answer every command at once, none failed ({@code --answer-at-once}): the round trip is the
 *                 system's alone
 * @param warmUp   the round trip's steady state counts the commands requested after this ({@code --warm-up PT1M})
 * @param tasksPerMinute AutoGLM tasks each tenant's operators submit a minute ({@code --tasks-per-minute}, default 0)
 * @param taskModel the agent model the tasks name ({@code --task-model}); empty: the agent function's default
 * @param agentModelOnly serve the simulated agent model and nothing else ({@code --agent-model-only}, with {@code
 *                 --agent-model-port}): the local stack runs it as a process of its own, up before the inference function
 *                 that asks it for its models
 */
record SimulatorOptions(URI sink, String pulsar, String namespace, Path signingKey, int devices, List<String> tenants,
        Optional<Duration> duration, long seed, List<String> missing, List<URI> gateways, OptionalInt agentModelPort,
        double agentModelBadReplies, ModelLatency agentModelLatency, OptionalDouble commandsPerSecond, boolean answerAtOnce,
        Optional<Duration> warmUp, double tasksPerMinute, Optional<String> taskModel, boolean agentModelOnly) {

    static SimulatorOptions parse(String[] args) {
        URI sink = null;
        String pulsar = null;
        String namespace = "public/default";
        Path key = null;
        int devices = 200;
        List<String> tenants = List.of("acme", "globex");
        Optional<Duration> duration = Optional.empty();
        long seed = 1;
        List<String> missing = List.of();
        List<URI> gateways = List.of();
        OptionalInt agentModelPort = OptionalInt.empty();
        double badReplies = 0.05;
        Duration firstToken = ModelLatency.DEFAULT.firstToken();
        Duration total = ModelLatency.DEFAULT.total();
        OptionalDouble commandsPerSecond = OptionalDouble.empty();
        boolean answerAtOnce = false;
        Optional<Duration> warmUp = Optional.empty();
        boolean agentModelOnly = false;
        double tasksPerMinute = 0;
        Optional<String> taskModel = Optional.empty();
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        while (!rest.isEmpty()) {
            String option = rest.remove(0);
            if (option.equals("--answer-at-once")) {
                answerAtOnce = true;
                continue;
            }
            if (option.equals("--agent-model-only")) {
                agentModelOnly = true;
                continue;
            }
            if (rest.isEmpty()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = rest.remove(0);
            switch (option) {
                case "--sink" -> sink = URI.create(value.endsWith("/") ? value : value + "/");
                case "--pulsar" -> pulsar = value;
                case "--namespace" -> namespace = value;
                case "--signing-key" -> key = Path.of(value);
                case "--devices" -> devices = Integer.parseInt(value);
                case "--tenants" -> tenants = List.of(value.split(","));
                case "--duration" -> duration = Optional.of(Duration.parse(value));
                case "--seed" -> seed = Long.parseLong(value);
                case "--missing" -> missing = List.of(value.split(","));
                case "--gateways" -> gateways = Arrays.stream(value.split(",")).map(URI::create).toList();
                case "--agent-model-port" -> agentModelPort = OptionalInt.of(Integer.parseInt(value));
                case "--agent-model-bad-replies" -> badReplies = Double.parseDouble(value);
                case "--agent-model-first-token" -> firstToken = Duration.parse(value);
                case "--agent-model-total" -> total = Duration.parse(value);
                case "--commands-per-second" -> commandsPerSecond = OptionalDouble.of(Double.parseDouble(value));
                case "--warm-up" -> warmUp = Optional.of(Duration.parse(value));
                case "--tasks-per-minute" -> tasksPerMinute = Double.parseDouble(value);
                case "--task-model" -> taskModel = Optional.of(value);
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (agentModelOnly && agentModelPort.isEmpty()) {
            throw new IllegalArgumentException("--agent-model-only needs --agent-model-port");
        }
        if (!agentModelOnly && (sink == null || pulsar == null || key == null)) {
            throw new IllegalArgumentException("--sink, --pulsar and --signing-key are required");
        }
        if (agentModelPort.isPresent() && (agentModelPort.getAsInt() < 1 || agentModelPort.getAsInt() > 65535)) {
            throw new IllegalArgumentException("--agent-model-port is a port, 1-65535, got " + agentModelPort.getAsInt());
        }
        if (tasksPerMinute < 0 || !Double.isFinite(tasksPerMinute)) {
            throw new IllegalArgumentException("--tasks-per-minute is a rate >= 0, got " + tasksPerMinute);
        }
        if (badReplies < 0 || badReplies > 1) {
            throw new IllegalArgumentException("--agent-model-bad-replies is a share, 0 to 1, got " + badReplies);
        }
        return new SimulatorOptions(sink, pulsar, namespace, key, devices, tenants, duration, seed, missing, gateways, agentModelPort, badReplies,
                new ModelLatency(firstToken, total), commandsPerSecond, answerAtOnce, warmUp, tasksPerMinute, taskModel,
                agentModelOnly);
    }
}
