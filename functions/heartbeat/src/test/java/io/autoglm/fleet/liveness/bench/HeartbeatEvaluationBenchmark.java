package io.autoglm.fleet.liveness.bench;

import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.device.Battery;
import io.autoglm.fleet.events.device.DeviceHeartbeat;
import io.autoglm.fleet.events.device.DeviceLoad;
import io.autoglm.fleet.events.device.LivenessDeadline;
import io.autoglm.fleet.liveness.LivenessEvaluator;
import io.autoglm.fleet.liveness.LivenessPolicy;
import io.autoglm.fleet.liveness.LivenessVerdict;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Heartbeats per second through the liveness evaluator on one thread (one core), for a fleet of
 * {@code devices} beating round-robin on a synthetic clock that advances one interval per round, so
 * the deadline chains fire and re-arm as in production (deadlines are fed back when due).
 *
 * <ul>
 * <li>{@code evaluate}: {@link LivenessEvaluator#onHeartbeat} for a decoded heartbeat, plus the due deadlines.</li>
 * <li>{@code decodeAndEvaluate}: the same from the JSON bytes of the event's data, as the function gets it.</li>
 * <li>{@code lastSeenMap} (baseline): what the simplest liveness tracker does, a timestamp per device in a map.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
@State(Scope.Thread)
public class HeartbeatEvaluationBenchmark {

    @Param({"10000", "100000"})
    public int devices;

    private static final String TENANT = "acme";
    private static final DeviceLoad LOAD = new DeviceLoad(0.35, 0.6, 0.1, 2);
    private static final Battery BATTERY = new Battery(0.8, false);

    private String[] ids;
    private long[] seqs;
    private byte[][] encoded;
    private LivenessEvaluator evaluator;
    private final Map<String, Long> lastSeen = new ConcurrentHashMap<>();
    private final ArrayDeque<LivenessDeadline> due = new java.util.ArrayDeque<>();
    private long now;
    private double clockMs;
    private double stepMs;
    private int next;

    @Setup
    public void setUp() {
        ids = new String[devices];
        seqs = new long[devices];
        encoded = new byte[devices][];
        for (int d = 0; d < devices; d++) {
            ids[d] = "d-acme-" + Integer.toString(d, 36) + "q2x7mzk3n8v";
            encoded[d] = EventJson.write(new DeviceHeartbeat(ids[d], 1, Instant.EPOCH, LOAD, BATTERY, 38.5));
        }
        evaluator = new LivenessEvaluator(tenant -> LivenessPolicy.DEFAULT, 0);
        clockMs = 1_000_000;
        stepMs = (double) LivenessPolicy.DEFAULT.interval().toMillis() / devices;
        for (int round = 0; round < 3; round++) {
            for (int d = 0; d < devices; d++) {
                evaluate();
            }
        }
    }

    /** The run is only meaningful if every device stayed ONLINE the whole time (one transition each). */
    @TearDown
    public void checkNobodyFlapped() {
        if (evaluator.counters().transitions() != devices) {
            throw new IllegalStateException("expected " + devices + " transitions (first heartbeats), saw " + evaluator.counters().transitions());
        }
        if (evaluator.counters().heartbeats() > 3L * devices) {
            System.out.printf("%n%.3f messages written per heartbeat%n", evaluator.counters().messagesPerHeartbeat());
        }
    }

    @Benchmark
    public LivenessVerdict evaluate() {
        int d = advance();
        return settle(evaluator.onHeartbeat(TENANT, new DeviceHeartbeat(ids[d], ++seqs[d], Instant.ofEpochMilli(now), LOAD, BATTERY, 38.5), now));
    }

    @Benchmark
    public LivenessVerdict decodeAndEvaluate() {
        int d = advance();
        DeviceHeartbeat decoded = EventJson.read(encoded[d], DeviceHeartbeat.class);
        return settle(evaluator.onHeartbeat(TENANT, new DeviceHeartbeat(decoded.deviceId(), ++seqs[d], decoded.sentAt(), decoded.load(),
                decoded.battery(), decoded.rttMs()), now));
    }

    @Benchmark
    public Long lastSeenMap() {
        int d = advance();
        return lastSeen.put(ids[d], now);
    }

    private int advance() {
        int d = next;
        next = (next + 1) % devices;
        clockMs += stepMs;
        now = (long) clockMs;
        return d;
    }

    /** Fires the deadlines that are due, as the broker would deliver them back. */
    private LivenessVerdict settle(LivenessVerdict verdict) {
        verdict.nextDeadline().ifPresent(due::addLast);
        while (!due.isEmpty() && due.peekFirst().dueAt().toEpochMilli() <= now) {
            evaluator.onDeadline(due.pollFirst(), now).nextDeadline().ifPresent(due::addLast);
        }
        return verdict;
    }
}
