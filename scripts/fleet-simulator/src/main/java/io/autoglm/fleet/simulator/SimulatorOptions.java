package io.autoglm.fleet.simulator;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The simulator's command line (given by {@code scripts/run-local}).
 *
 * @param missing  functions that are not running (their decisions will not come)
 * @param gateways the device gateway's replicas ({@code ws://host:port/devices/v1}); when given, devices connect there over
 *                 their own sockets and execute the commands that come down, otherwise they send to the sink and
 *                 receive nothing
 */
record SimulatorOptions(URI sink, String pulsar, String namespace, Path signingKey, int devices, List<String> tenants,
        Optional<Duration> duration, long seed, List<String> missing, List<URI> gateways) {

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
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        while (!rest.isEmpty()) {
            String option = rest.remove(0);
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
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (sink == null || pulsar == null || key == null) {
            throw new IllegalArgumentException("--sink, --pulsar and --signing-key are required");
        }
        return new SimulatorOptions(sink, pulsar, namespace, key, devices, tenants, duration, seed, missing, gateways);
    }
}
