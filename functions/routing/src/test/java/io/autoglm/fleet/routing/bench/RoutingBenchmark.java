package io.autoglm.fleet.routing.bench;

import io.autoglm.fleet.events.command.CommandAction;
import io.autoglm.fleet.events.command.CommandRequested;
import io.autoglm.fleet.events.command.Requirements;
import io.autoglm.fleet.events.command.RoutingStrategy;
import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.events.device.DeviceCapabilities;
import io.autoglm.fleet.events.device.DeviceLoad;
import io.autoglm.fleet.events.device.DeviceRecord;
import io.autoglm.fleet.events.device.DeviceTier;
import io.autoglm.fleet.events.device.Gpu;
import io.autoglm.fleet.events.device.Hardware;
import io.autoglm.fleet.events.device.LivenessStatus;
import io.autoglm.fleet.events.device.Location;
import io.autoglm.fleet.events.device.Network;
import io.autoglm.fleet.events.device.NetworkType;
import io.autoglm.fleet.events.device.Platform;
import io.autoglm.fleet.routing.FleetIndex;
import io.autoglm.fleet.routing.Router;
import io.autoglm.fleet.routing.RouterPolicy;
import io.autoglm.fleet.routing.RoutingDecision;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Latency of one routing decision with {@code devices} registered devices in the tenant (95% ONLINE,
 * five platforms, four regions, a tenth with GPUs, one label of ten values, each drawn independently), sampled so JMH reports
 * percentiles. Heartbeat load reports keep arriving between decisions (one per decision), as in production.
 *
 * <ul>
 * <li>{@code loadBalance}: LOAD_BALANCE for an ANDROID device with Launch (a fifth of the fleet qualifies).</li>
 * <li>{@code loadBalanceSelective}: the same plus a GPU and a label value (1 in 250 qualifies: the sampling
 * falls back to a scan).</li>
 * <li>{@code nearest}: NEAREST in a region among ANDROID devices with Launch: a scan of that region's
 * qualifying devices (about 5,000 here) for the lowest round-trip time.</li>
 * <li>{@code costFirst}: COST_FIRST (edge boxes, then devices).</li>
 * <li>{@code argmaxScan} (baseline): the best score over every qualifying device, the obvious router that
 * herds bursts onto one device.</li>
 * </ul>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class RoutingBenchmark {

    @Param({"100000"})
    public int devices;

    private static final String[] REGIONS = {"eu-west-1", "eu-central-1", "us-east-1", "ap-south-1"};
    private static final Instant AT = Instant.parse("2026-11-21T13:05:00Z");

    private FleetIndex fleet;
    private Router router;
    private Router argmax;
    private String[] ids;
    private CommandRequested loadBalance;
    private CommandRequested selective;
    private CommandRequested nearest;
    private CommandRequested costFirst;

    @Setup
    public void setUp() {
        fleet = new FleetIndex("acme");
        router = new Router(RouterPolicy.DEFAULT, ThreadLocalRandom::current);
        argmax = new Router(new RouterPolicy(RouterPolicy.DEFAULT.weights(), RouterPolicy.DEFAULT.costs(), Integer.MAX_VALUE, 10, 0.9,
                RoutingStrategy.COST_FIRST), ThreadLocalRandom::current);
        Random random = new Random(1);
        ids = new String[devices];
        Platform[] platforms = Platform.values();
        for (int d = 0; d < devices; d++) {
            ids[d] = "d-acme-" + Integer.toString(d, 36);
            Platform platform = platforms[random.nextInt(platforms.length)];
            boolean edge = platform == Platform.LINUX && random.nextInt(3) == 0;
            Gpu gpu = random.nextInt(10) == 0 ? new Gpu("Adreno 750", 4096, "7.5") : null;
            List<AgentAction> actions = platform == Platform.WASM ? List.of(AgentAction.TAP, AgentAction.TYPE)
                    : List.of(AgentAction.LAUNCH, AgentAction.TAP, AgentAction.TYPE, AgentAction.SWIPE, AgentAction.HOME);
            DeviceCapabilities capabilities = new DeviceCapabilities(platform, edge ? DeviceTier.EDGE : DeviceTier.DEVICE,
                    new Hardware(2 + random.nextInt(14), 2048 + random.nextInt(14336), gpu),
                    new Network(NetworkType.WIFI, 100, 5 + random.nextInt(200)), new Location(REGIONS[random.nextInt(REGIONS.length)], null),
                    Map.of("model", "m" + random.nextInt(10)), "1.4.2", actions, List.of());
            fleet.registered(ids[d], new DeviceRecord(ids[d], "acme", 1, capabilities, "0".repeat(64), AT, AT));
            fleet.statusChanged(ids[d], random.nextInt(20) == 0 ? LivenessStatus.OFFLINE : LivenessStatus.ONLINE);
            fleet.loadReported(ids[d], new DeviceLoad(random.nextDouble(), random.nextDouble(), null, random.nextInt(4)), null);
        }
        CommandAction launch = new CommandAction(AgentAction.LAUNCH, Map.of("app", "Settings"));
        loadBalance = new CommandRequested("c", null, null, RoutingStrategy.LOAD_BALANCE,
                new Requirements(List.of(Platform.ANDROID), null, null, false, null, null), launch, null);
        selective = new CommandRequested("c", null, null, RoutingStrategy.LOAD_BALANCE,
                new Requirements(List.of(Platform.ANDROID), Map.of("model", "m0"), null, true, null, null), launch, null);
        nearest = new CommandRequested("c", null, null, RoutingStrategy.NEAREST,
                new Requirements(List.of(Platform.ANDROID), null, null, false, null, "eu-west-1"), launch, null);
        costFirst = new CommandRequested("c", null, null, RoutingStrategy.COST_FIRST, null, new CommandAction(AgentAction.TAP, null), null);
    }

    /** Per-thread source of load reports, so that in-flight counts are reset as heartbeats arrive. */
    @State(Scope.Thread)
    public static class Heartbeats {
        final SplittableRandom random = new SplittableRandom(7);
        final DeviceLoad load = new DeviceLoad(0.3, 0.4, null, 1);
    }

    @Benchmark
    public RoutingDecision loadBalance(Heartbeats heartbeats) {
        report(heartbeats);
        return router.route(fleet, loadBalance);
    }

    @Benchmark
    public RoutingDecision loadBalanceSelective(Heartbeats heartbeats) {
        report(heartbeats);
        return router.route(fleet, selective);
    }

    @Benchmark
    public RoutingDecision nearest(Heartbeats heartbeats) {
        report(heartbeats);
        return router.route(fleet, nearest);
    }

    @Benchmark
    public RoutingDecision costFirst(Heartbeats heartbeats) {
        report(heartbeats);
        return router.route(fleet, costFirst);
    }

    @Benchmark
    public RoutingDecision argmaxScan(Heartbeats heartbeats) {
        report(heartbeats);
        return argmax.route(fleet, loadBalance);
    }

    private void report(Heartbeats heartbeats) {
        fleet.loadReported(ids[heartbeats.random.nextInt(ids.length)], heartbeats.load, 40.0);
    }
}
