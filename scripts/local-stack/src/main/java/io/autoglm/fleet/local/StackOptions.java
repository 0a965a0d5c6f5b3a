package io.autoglm.fleet.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.autoglm.fleet.events.EventJson;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The command line of {@code scripts/run-local}.
 *
 * @param devices   simulated devices, split over the tenants
 * @param tenants   the tenants of the simulated fleet
 * @param duration  how long the simulation runs; empty: until Ctrl-C
 * @param simulate  whether to run the fleet simulator (false: only the stack, for your own clients)
 * @param seed      the simulator's random seed, for a repeatable run
 * @param commandsPerSecond the simulated operators' commands per second over all tenants; empty: the simulator's default
 * @param answerAtOnce whether simulated devices answer every command at once (a round-trip measurement)
 * @param warmUp    the simulator's steady-state round trip counts the commands requested after this
 * @param agentModel the agent model the inference function serves beside the seed model
 * @param tasksPerMinute the AutoGLM tasks each tenant's simulated operators submit a minute
 */
record StackOptions(int devices, List<String> tenants, Optional<Duration> duration, boolean simulate, long seed,
        Optional<Double> commandsPerSecond, boolean answerAtOnce, Optional<Duration> warmUp, AgentModel agentModel, double tasksPerMinute) {

    /**
     * The phone agent's model: by default the simulator's {@value #SIMULATED} (a simulation, served by a process of the stack
     * on {@code port} over the OpenAI-compatible API), or a real backend at {@code url} (vLLM, SGLang, a hosted API) serving
     * {@code name}, its key read from the environment variable {@code keyEnv}. Either way it is a remote version of the
     * model store and the inference function calls it over HTTP, the real client path.
     */
    record AgentModel(String name, Optional<URI> url, Optional<String> keyEnv, int port) {

        static final String SIMULATED = "autoglm-sim";
        static final int DEFAULT_PORT = 18765;

        boolean simulated() {
            return url.isEmpty();
        }

        /** The API root the model store's version names. */
        URI baseUrl() {
            return url.orElse(URI.create("http://127.0.0.1:" + port + "/v1"));
        }

        /** The remote version's {@code model.json}: the backend, never its key (only where the function reads it). */
        String manifest() {
            ObjectNode manifest = EventJson.mapper().createObjectNode().put("name", name).put("format", "remote")
                    .put("description", simulated() ? "the fleet simulator's simulated agent model (a simulation, not a real model)"
                            : "the agent model at " + baseUrl());
            ObjectNode remote = manifest.putObject("remote").put("protocol", "openai-chat").put("baseUrl", baseUrl().toString())
                    .put("servedModel", name);
            keyEnv.ifPresent(env -> remote.putObject("credential").put("env", env));
            return manifest.toPrettyString() + "\n";
        }
    }

    static final String USAGE = """
            Usage: scripts/run-local [--devices N] [--tenants a,b] [--duration 90s|5m|PT2M] [--seed N] [--no-simulator] [--rebuild]
                                     [--commands-per-second R] [--answer-at-once] [--warm-up 60s]
                                     [--agent-model-url URL --agent-model NAME [--agent-model-key-env VAR]] [--agent-model-port P]
                                     [--tasks-per-minute R]

              --devices N      simulated devices, split over the tenants (default 200)
              --tenants a,b    tenants of the simulated fleet (default acme,globex)
              --duration D     stop after D, with or without the simulator (default: run until Ctrl-C)
              --seed N         random seed of the simulator (default 1)
              --no-simulator   start the stack only and print how to send events to it
              --rebuild        rebuild every module before starting (default: build only what is missing)
              --commands-per-second R   the simulated operators' commands per second, all tenants (default 2 a tenant)
              --answer-at-once devices answer every command at once, none failing: the round trip is the system's
              --warm-up D      the summary's steady-state round trip counts commands requested after D
              --agent-model-url URL     the phone agent's model is a real OpenAI-compatible backend (vLLM, SGLang, hosted) at
                               URL (its API root, e.g. http://gpu-box:8000/v1) instead of the simulated autoglm-sim
              --agent-model NAME        the model that backend serves (required with --agent-model-url)
              --agent-model-key-env VAR the environment variable holding the backend's API key (the functions inherit it)
              --agent-model-port P      where the simulated agent model listens on 127.0.0.1 (default 18765)
              --tasks-per-minute R      AutoGLM tasks each tenant's simulated operators submit a minute, on the agent model
                               (default 2 with the agent function in the stack, else 0)
            """;

    static StackOptions parse(String[] args) {
        int devices = 200;
        List<String> tenants = List.of("acme", "globex");
        Optional<Duration> duration = Optional.empty();
        boolean simulate = true;
        long seed = 1;
        Optional<Double> commandsPerSecond = Optional.empty();
        boolean answerAtOnce = false;
        Optional<Duration> warmUp = Optional.empty();
        Optional<URI> agentUrl = Optional.empty();
        Optional<String> agentName = Optional.empty();
        Optional<String> agentKeyEnv = Optional.empty();
        int agentPort = AgentModel.DEFAULT_PORT;
        double tasksPerMinute = -1;
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        while (!rest.isEmpty()) {
            String option = rest.remove(0);
            switch (option) {
                case "--devices" -> devices = positive(option, value(option, rest));
                case "--tenants" -> tenants = List.of(value(option, rest).split(","));
                case "--duration" -> duration = Optional.of(duration(value(option, rest)));
                case "--seed" -> seed = Long.parseLong(value(option, rest));
                case "--no-simulator" -> simulate = false;
                case "--commands-per-second" -> commandsPerSecond = Optional.of(rate(option, value(option, rest)));
                case "--answer-at-once" -> answerAtOnce = true;
                case "--warm-up" -> warmUp = Optional.of(duration(value(option, rest)));
                case "--agent-model-url" -> agentUrl = Optional.of(url(option, value(option, rest)));
                case "--agent-model" -> agentName = Optional.of(modelName(option, value(option, rest)));
                case "--agent-model-key-env" -> agentKeyEnv = Optional.of(variable(option, value(option, rest)));
                case "--agent-model-port" -> agentPort = port(option, value(option, rest));
                case "--tasks-per-minute" -> tasksPerMinute = rate(option, value(option, rest));
                case "--rebuild" -> { } // handled by scripts/run-local
                case "-h", "--help" -> throw new IllegalArgumentException(USAGE);
                default -> throw new IllegalArgumentException("unknown option " + option + "\n\n" + USAGE);
            }
        }
        if (agentUrl.isPresent() && agentName.isEmpty()) {
            throw new IllegalArgumentException("--agent-model-url needs --agent-model: the name of the model the backend serves\n\n" + USAGE);
        }
        if (agentUrl.isEmpty() && (agentName.isPresent() || agentKeyEnv.isPresent())) {
            throw new IllegalArgumentException("--agent-model and --agent-model-key-env name a real backend: give its --agent-model-url too\n\n"
                    + USAGE);
        }
        AgentModel agentModel = new AgentModel(agentName.orElse(AgentModel.SIMULATED), agentUrl, agentKeyEnv, agentPort);
        return new StackOptions(devices, tenants, duration, simulate, seed, commandsPerSecond, answerAtOnce, warmUp, agentModel, tasksPerMinute);
    }

    /** The tasks a minute per tenant: as given, else {@code 2} when the stack runs the agent function. */
    double tasksPerMinute(boolean agentFunction) {
        return tasksPerMinute >= 0 ? tasksPerMinute : agentFunction ? 2 : 0;
    }

    private static URI url(String option, String text) {
        try {
            URI url = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            if (("http".equals(url.getScheme()) || "https".equals(url.getScheme())) && url.getHost() != null) {
                return url;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " takes the backend's API root, http(s)://host:port/v1, got '" + text + "'");
    }

    private static String modelName(String option, String text) {
        if (text.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
            return text;
        }
        throw new IllegalArgumentException(option + " takes a model-store name (lower case letters, digits, '.', '_', '-'), got '" + text + "'");
    }

    private static String variable(String option, String text) {
        if (text.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            return text;
        }
        throw new IllegalArgumentException(option + " takes the name of an environment variable (not the key itself), got '" + text + "'");
    }

    private static int port(String option, String text) {
        int port = positive(option, text);
        if (port > 65535) {
            throw new IllegalArgumentException(option + " takes a port, 1-65535, got " + port);
        }
        return port;
    }

    /** {@code 90s}, {@code 5m}, {@code 1h} or ISO-8601 ({@code PT2M}). */
    static Duration duration(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (value.startsWith("pt")) {
                return Duration.parse(value.toUpperCase(Locale.ROOT));
            }
            long amount = Long.parseLong(value.substring(0, value.length() - 1));
            return switch (value.charAt(value.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> throw new IllegalArgumentException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("a duration is 90s, 5m, 1h or PT2M, got '" + text + "'");
        }
    }

    private static String value(String option, List<String> rest) {
        if (rest.isEmpty()) {
            throw new IllegalArgumentException(option + " needs a value\n\n" + USAGE);
        }
        return rest.remove(0);
    }

    private static double rate(String option, String text) {
        try {
            double value = Double.parseDouble(text);
            if (value >= 0 && Double.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " takes a number >= 0, got '" + text + "'");
    }

    private static int positive(String option, String text) {
        try {
            int value = Integer.parseInt(text);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " takes a whole number > 0, got '" + text + "'");
    }
}
