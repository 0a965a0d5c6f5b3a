package io.autoglm.fleet.liveness;

import io.autoglm.fleet.events.device.DeviceHeartbeat;
import io.autoglm.fleet.events.device.DeviceLoad;
import io.autoglm.fleet.events.device.DeviceStatusChanged;
import io.autoglm.fleet.events.device.LivenessDeadline;
import io.autoglm.fleet.events.device.LivenessStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.LongUnaryOperator;

/**
 * A discrete-event run of the evaluator: heartbeats at chosen times, and every deadline it schedules
 * delivered back like a Pulsar delayed message (at the first delivery tick at or after its due time).
 */
final class LivenessSimulation {

    static final String TENANT = "acme";

    private record Event(long at, long order, String deviceId, long seq, long sentAt, LivenessDeadline deadline) {
    }

    final LivenessEvaluator evaluator;
    private final long tickMs;
    private final PriorityQueue<Event> queue = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
    private final Map<String, Long> seqs = new HashMap<>();
    final List<DeviceStatusChanged> transitions = new ArrayList<>();
    long messagesWritten;
    private long order;
    private long now;

    LivenessSimulation(LivenessPolicy policy, long tickMs) {
        this(new LivenessEvaluator(tenant -> policy, 0), tickMs);
    }

    LivenessSimulation(LivenessEvaluator evaluator, long tickMs) {
        this.evaluator = evaluator;
        this.tickMs = tickMs;
    }

    /** Heartbeats from {@code deviceId} from {@code from} (inclusive) until {@code until}, each gap drawn by {@code nextGap}. */
    void beats(String deviceId, long from, long until, LongUnaryOperator nextGap) {
        for (long at = from; at < until; at += nextGap.applyAsLong(at)) {
            heartbeatAt(deviceId, at);
        }
    }

    void heartbeatAt(String deviceId, long at) {
        heartbeatAt(deviceId, at, at);
    }

    /** A heartbeat sent at {@code sentAt} that reaches the function at {@code arrivesAt} (after a slow pipeline). */
    void heartbeatAt(String deviceId, long sentAt, long arrivesAt) {
        long seq = seqs.merge(deviceId, 1L, Long::sum);
        queue.add(new Event(arrivesAt, order++, deviceId, seq, sentAt, null));
    }

    /** Heartbeats as {@link #beats}, each spending {@code transit.applyAsLong(sentAt)} ms in the pipeline. */
    void beats(String deviceId, long from, long until, LongUnaryOperator nextGap, LongUnaryOperator transit) {
        for (long at = from; at < until; at += nextGap.applyAsLong(at)) {
            heartbeatAt(deviceId, at, at + transit.applyAsLong(at));
        }
    }

    /** Runs every event up to {@code until}. */
    void runUntil(long until) {
        while (!queue.isEmpty() && queue.peek().at <= until) {
            Event event = queue.poll();
            now = event.at;
            LivenessVerdict verdict = event.deadline == null
                    ? evaluator.onHeartbeat(TENANT, heartbeat(event.deviceId, event.seq, event.sentAt), event.at)
                    : evaluator.onDeadline(event.deadline, event.at);
            messagesWritten += verdict.messagesWritten();
            verdict.statusChange().ifPresent(transitions::add);
            verdict.nextDeadline().ifPresent(this::deliverLater);
        }
        now = until;
    }

    private void deliverLater(LivenessDeadline deadline) {
        long due = Math.max(deadline.dueAt().toEpochMilli(), now);
        long delivery = tickMs <= 0 ? due : ((due + tickMs - 1) / tickMs) * tickMs;
        queue.add(new Event(delivery, order++, deadline.deviceId(), -1, -1, deadline));
    }

    static DeviceHeartbeat heartbeat(String deviceId, long seq, long sentAt) {
        return new DeviceHeartbeat(deviceId, seq, Instant.ofEpochMilli(sentAt), new DeviceLoad(0.2, 0.3, null, 0), null, 40.0);
    }

    List<DeviceStatusChanged> transitionsOf(String deviceId) {
        return transitions.stream().filter(t -> t.deviceId().equals(deviceId)).toList();
    }

    List<DeviceStatusChanged> transitionsTo(LivenessStatus status) {
        return transitions.stream().filter(t -> t.current() == status).toList();
    }
}
