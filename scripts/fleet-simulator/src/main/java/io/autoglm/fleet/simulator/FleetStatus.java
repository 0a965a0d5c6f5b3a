package io.autoglm.fleet.simulator;

import io.autoglm.fleet.events.device.LivenessStatus;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the simulator has seen so far, updated from the sending side (the sink's answers) and the
 * observing side (events on the bus): device statuses per tenant, routing decisions, inference
 * latencies, dead letters. Thread-safe; {@link #snapshot()} gives a consistent-enough copy for display.
 */
final class FleetStatus {

    private final Map<String, String> tenantOfDevice = new ConcurrentHashMap<>();
    private final Map<String, LivenessStatus> statusOfDevice = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> registeredPerTenant = new ConcurrentHashMap<>();
    private final LongAdder registrationsRejected = new LongAdder();
    private volatile String lastRegistrationRejection;
    /** The sink's counts change together (under this lock), so a snapshot always adds up. */
    private final Object sinkLock = new Object();
    private long sentEvents;
    private long acceptedEvents;
    private long refusedEvents;
    private long unavailableEvents;
    private long unansweredEvents;
    private long inFlightEvents;
    private long skippedEvents;
    private final Map<String, LongAdder> rejections = new ConcurrentHashMap<>();
    private volatile String lastRejection;
    private final LongAdder busEvents = new LongAdder();
    private final Map<String, LongAdder> decisions = new ConcurrentHashMap<>();
    private final Map<String, Long> inferenceSentAt = new ConcurrentHashMap<>();
    private final List<Double> inferenceMillis = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, LongAdder> inferenceFailures = new ConcurrentHashMap<>();
    private final LongAdder deadLetters = new LongAdder();
    private final Map<String, LongAdder> deadLetterReasons = new ConcurrentHashMap<>();
    private volatile String lastRefusal = "";
    private final CommandBook commands = new CommandBook();
    private final TaskBook tasks = new TaskBook();
    private final Map<String, String> gatewayOfDevice = new ConcurrentHashMap<>();
    private final LongAdder gatewayFramesWritten = new LongAdder();
    private final LongAdder gatewayFramesLost = new LongAdder();
    private final LongAdder gatewaySockets = new LongAdder();
    private final Map<String, LongAdder> gatewayErrors = new ConcurrentHashMap<>();
    private final LongAdder duplicateDeliveries = new LongAdder();
    private final LongAdder canceledOnDevices = new LongAdder();
    private final LongAdder commandsRun = new LongAdder();

    /** A request of {@code events} went to the sink; one of the answers below follows (until then it is in flight). */
    void sent(int events) {
        synchronized (sinkLock) {
            sentEvents += events;
            inFlightEvents += events;
        }
    }

    /** The sink answered 202 to a request of {@code events}. */
    void accepted(int events) {
        synchronized (sinkLock) {
            inFlightEvents -= events;
            acceptedEvents += events;
        }
    }

    /** The sink refused a request of {@code events} (a 4xx, or another answer that is not 202 or 503). */
    void refused(int events, String detail) {
        synchronized (sinkLock) {
            inFlightEvents -= events;
            refusedEvents += events;
        }
        lastRefusal = detail;
    }

    /** The sink answered 503 to a request of {@code events}. */
    void unavailable(int events) {
        synchronized (sinkLock) {
            inFlightEvents -= events;
            unavailableEvents += events;
        }
    }

    /** A request of {@code events} got no answer (no connection, timed out). */
    void unanswered(int events) {
        synchronized (sinkLock) {
            inFlightEvents -= events;
            unansweredEvents += events;
        }
    }

    /** A request of {@code events} was not sent: too many were waiting for the sink (not counted as sent). */
    void skipped(int events) {
        synchronized (sinkLock) {
            skippedEvents += events;
        }
    }

    /** The router rejected a command or a batch: each of its reasons is counted once, in the words of {@link RejectionReason}. */
    void rejected(List<String> problems) {
        problems.stream().map(RejectionReason::of).distinct()
                .forEach(reason -> rejections.computeIfAbsent(reason, r -> new LongAdder()).increment());
        lastRejection = String.join("; ", problems);
    }

    void onBus() {
        busEvents.increment();
    }

    void registered(String tenant, String deviceId) {
        if (tenantOfDevice.putIfAbsent(deviceId, tenant) == null) {
            registeredPerTenant.computeIfAbsent(tenant, t -> new LongAdder()).increment();
        }
    }

    void registrationRejected(String reason) {
        registrationsRejected.increment();
        lastRegistrationRejection = reason;
    }

    void status(String tenant, String deviceId, LivenessStatus status) {
        tenantOfDevice.putIfAbsent(deviceId, tenant);
        statusOfDevice.put(deviceId, status);
    }

    void decision(String name) {
        decisions.computeIfAbsent(name, n -> new LongAdder()).increment();
    }

    /** An inference request went to the sink at {@code sentAtMillis} (epoch ms). */
    void inferenceSent(String requestId, long sentAtMillis) {
        inferenceSentAt.put(requestId, sentAtMillis);
    }

    /**
     * Its answer was published at {@code answeredAtMillis} (the message's publish time, this host's clock): the
     * latency ends when the answer is on the bus, not when this process's one reader of every topic gets to it, so
     * heartbeats queued ahead of the answer in the reader do not count as inference time.
     */
    void inferenceDone(String requestId, long answeredAtMillis) {
        Long sent = inferenceSentAt.remove(requestId);
        if (sent != null) {
            inferenceMillis.add((double) Math.max(0, answeredAtMillis - sent));
        }
    }

    void inferenceFailed(String requestId, String reason) {
        inferenceSentAt.remove(requestId);
        inferenceFailures.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    void deadLetter(String reason) {
        deadLetters.increment();
        String key = reason == null ? "(no reason)" : reason.length() > 70 ? reason.substring(0, 70) + "..." : reason;
        deadLetterReasons.computeIfAbsent(key, r -> new LongAdder()).increment();
    }

    TaskBook tasks() {
        return tasks;
    }

    CommandBook commands() {
        return commands;
    }

    /** A device wrote a frame to its socket ({@code written}), or lost one (the socket closed under it, or was not open for long). */
    void gatewayFrame(boolean written) {
        (written ? gatewayFramesWritten : gatewayFramesLost).increment();
    }

    /** A device's socket opened (+1) or closed (-1). */
    void gatewayConnected(int delta) {
        gatewaySockets.add(delta);
    }

    /** The gateway refused a frame of a device ({@code code} of its gateway.error), or sent one a device could not read. */
    void gatewayError(String code) {
        gatewayErrors.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    /** A command a device had already executed came again (at-least-once delivery): dropped, not run twice. */
    void duplicateDelivery() {
        duplicateDeliveries.increment();
    }

    /** A device took a command that came down its socket and runs it. */
    void commandRun() {
        commandsRun.increment();
    }

    void commandCanceledOnDevice(String commandId) {
        canceledOnDevices.increment();
    }

    /** The presence table says which gateway replica holds {@code deviceId} (null: none). */
    void presence(String deviceId, String gateway) {
        if (gateway == null) {
            gatewayOfDevice.remove(deviceId);
        } else {
            gatewayOfDevice.put(deviceId, gateway);
        }
    }

    Snapshot snapshot() {
        Map<String, int[]> statuses = new TreeMap<>();
        registeredPerTenant.keySet().forEach(tenant -> statuses.put(tenant, new int[3]));
        statusOfDevice.forEach((device, status) -> statuses.computeIfAbsent(tenantOfDevice.get(device), t -> new int[3])[status.ordinal()]++);
        Map<String, Long> registered = new TreeMap<>();
        registeredPerTenant.forEach((tenant, count) -> registered.put(tenant, count.sum()));
        Map<String, Long> decided = new TreeMap<>();
        decisions.forEach((name, count) -> decided.put(name, count.sum()));
        double[] latencies;
        synchronized (inferenceMillis) {
            latencies = inferenceMillis.stream().mapToDouble(Double::doubleValue).toArray();
        }
        Map<String, Long> failures = new TreeMap<>();
        inferenceFailures.forEach((reason, count) -> failures.put(reason, count.sum()));
        Map<String, Long> reasons = new TreeMap<>();
        deadLetterReasons.forEach((reason, count) -> reasons.put(reason, count.sum()));
        Map<String, Long> rejected = new TreeMap<>();
        rejections.forEach((reason, count) -> rejected.put(reason, count.sum()));
        SinkCounts sink;
        synchronized (sinkLock) {
            sink = new SinkCounts(sentEvents, acceptedEvents, refusedEvents, unavailableEvents, unansweredEvents, inFlightEvents, skippedEvents,
                    lastRefusal);
        }
        Map<String, Long> perGateway = new TreeMap<>();
        gatewayOfDevice.values().forEach(gateway -> perGateway.merge(gateway, 1L, Long::sum));
        Map<String, Long> errors = new TreeMap<>();
        gatewayErrors.forEach((code, count) -> errors.put(code, count.sum()));
        GatewayCounts gateway = new GatewayCounts(gatewaySockets.sum(), perGateway, gatewayFramesWritten.sum(), gatewayFramesLost.sum(), errors,
                duplicateDeliveries.sum(), canceledOnDevices.sum(), commandsRun.sum());
        return new Snapshot(System.nanoTime(), statuses, registered, registrationsRejected.sum(), lastRegistrationRejection, sink, busEvents.sum(),
                decided, rejected, lastRejection, Percentiles.of(latencies), inferenceSentAt.size(), failures, deadLetters.sum(), reasons,
                gateway, commands.counts(System.currentTimeMillis()), tasks.counts());
    }

    /**
     * The status at one moment.
     *
     * @param statuses per tenant: devices ONLINE, SUSPECT, OFFLINE (by {@link LivenessStatus} ordinal)
     */
    record Snapshot(long at, Map<String, int[]> statuses, Map<String, Long> registered, long registrationsRejected,
            String lastRegistrationRejection, SinkCounts sink, long busEvents,
            Map<String, Long> decisions, Map<String, Long> rejections, String lastRejection, Percentiles inference, int inferencePending,
            Map<String, Long> inferenceFailures, long deadLetters, Map<String, Long> deadLetterReasons, GatewayCounts gateway,
            CommandBook.Counts commands, TaskBook.Counts tasks) {
    }

    /**
     * The devices' side of the gateway.
     *
     * @param sockets    devices with a socket open now (as the simulator sees them)
     * @param perReplica devices per gateway replica, as the presence table says
     * @param duplicates  commands delivered again to a device that had run them (dropped there)
     * @param commandsRun commands devices took from their sockets and ran
     */
    record GatewayCounts(long sockets, Map<String, Long> perReplica, long framesWritten, long framesLost, Map<String, Long> errors,
            long duplicates, long canceledOnDevices, long commandsRun) {
    }

    /**
     * What became of the events sent to the sink, in events (a batch counts each of its events): every event sent
     * is accepted, refused, unavailable, unanswered or still in flight.
     *
     * @param skipped events not sent at all, because too many requests were waiting (not part of {@code sent})
     */
    record SinkCounts(long sent, long accepted, long refused, long unavailable, long unanswered, long inFlight, long skipped,
            String lastRefusal) {

        /** Sent events that none of the outcomes accounts for: always 0, the counts being kept so; the summary shows it. */
        long unaccounted() {
            return sent - accepted - refused - unavailable - unanswered - inFlight;
        }
    }
}
