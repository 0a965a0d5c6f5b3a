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
 */
record StackOptions(int devices, List<String> tenants, Optional<Duration> duration, boolean simulate, long seed) {

    static final String USAGE = """
            Usage: scripts/run-local [--devices N] [--tenants a,b] [--duration 90s|5m|PT2M] [--seed N] [--no-simulator] [--rebuild]

              --devices N      simulated devices, split over the tenants (default 200)
              --tenants a,b    tenants of the simulated fleet (default acme,globex)
              --duration D     stop after D, with or without the simulator (default: run until Ctrl-C)
              --seed N         random seed of the simulator (default 1)
              --no-simulator   start the stack only and print how to send events to it
              --rebuild        rebuild every module before starting (default: build only what is missing)
            """;

    static StackOptions parse(String[] args) {
        int devices = 200;
        List<String> tenants = List.of("acme", "globex");
        Optional<Duration> duration = Optional.empty();
        boolean simulate = true;
        long seed = 1;
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        while (!rest.isEmpty()) {
            String option = rest.remove(0);
            switch (option) {
                case "--devices" -> devices = positive(option, value(option, rest));
                case "--tenants" -> tenants = List.of(value(option, rest).split(","));
                case "--duration" -> duration = Optional.of(duration(value(option, rest)));
                case "--seed" -> seed = Long.parseLong(value(option, rest));
                case "--no-simulator" -> simulate = false;
                case "--rebuild" -> { } // handled by scripts/run-local
                case "-h", "--help" -> throw new IllegalArgumentException(USAGE);
                default -> throw new IllegalArgumentException("unknown option " + option + "\n\n" + USAGE);
            }
        }
        return new StackOptions(devices, tenants, duration, simulate, seed);
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
            throw new IllegalArgumentException("--duration takes 90s, 5m, 1h or PT2M, got '" + text + "'");
        }
    }

    private static String value(String option, List<String> rest) {
        if (rest.isEmpty()) {
            throw new IllegalArgumentException(option + " needs a value\n\n" + USAGE);
        }
        return rest.remove(0);
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
