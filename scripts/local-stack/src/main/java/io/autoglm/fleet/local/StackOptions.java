package io.autoglm.fleet.local;

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
 */
record StackOptions(int devices, List<String> tenants, Optional<Duration> duration, boolean simulate, long seed,
        Optional<Double> commandsPerSecond, boolean answerAtOnce, Optional<Duration> warmUp) {

    static final String USAGE = """
            Usage: scripts/run-local [--devices N] [--tenants a,b] [--duration 90s|5m|PT2M] [--seed N] [--no-simulator] [--rebuild]
                                     [--commands-per-second R] [--answer-at-once] [--warm-up 60s]

              --devices N      simulated devices, split over the tenants (default 200)
              --tenants a,b    tenants of the simulated fleet (default acme,globex)
              --duration D     stop after D, with or without the simulator (default: run until Ctrl-C)
              --seed N         random seed of the simulator (default 1)
              --no-simulator   start the stack only and print how to send events to it
              --rebuild        rebuild every module before starting (default: build only what is missing)
              --commands-per-second R   the simulated operators' commands per second, all tenants (default 2 a tenant)
              --answer-at-once devices answer every command at once, none failing: the round trip is the system's
              --warm-up D      the summary's steady-state round trip counts commands requested after D
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
                case "--rebuild" -> { } // handled by scripts/run-local
                case "-h", "--help" -> throw new IllegalArgumentException(USAGE);
                default -> throw new IllegalArgumentException("unknown option " + option + "\n\n" + USAGE);
            }
        }
        return new StackOptions(devices, tenants, duration, simulate, seed, commandsPerSecond, answerAtOnce, warmUp);
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
