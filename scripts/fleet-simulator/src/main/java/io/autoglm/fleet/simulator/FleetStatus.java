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
    private final LongAdder sentEvents = new LongAdder();
    private final LongAdder acceptedEvents = new LongAdder();
    private final LongAdder refusedRequests = new LongAdder();
    private final LongAdder unavailableRequests = new LongAdder();
    private final LongAdder failedRequests = new LongAdder();
    private final LongAdder busEvents = new LongAdder();
    private final Map<String, LongAdder> decisions = new ConcurrentHashMap<>();
    private final Map<String, Long> inferenceSentAt = new ConcurrentHashMap<>();
    private final List<Double> inferenceMillis = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, LongAdder> inferenceFailures = new ConcurrentHashMap<>();
    private final LongAdder deadLetters = new LongAdder();
    private final Map<String, LongAdder> deadLetterReasons = new ConcurrentHashMap<>();
    private volatile String lastRefusal = "";

    void sent(int events) {
        sentEvents.add(events);
    }

    void accepted(int events) {
        acceptedEvents.add(events);
    }

    void refused(String detail) {
        refusedRequests.increment();
        lastRefusal = detail;
    }

    void unavailable() {
        unavailableRequests.increment();
    }

    void failed() {
        failedRequests.increment();
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
        return new Snapshot(System.nanoTime(), statuses, registered, registrationsRejected.sum(), lastRegistrationRejection, sentEvents.sum(), acceptedEvents.sum(),
                refusedRequests.sum(), unavailableRequests.sum(), failedRequests.sum(), lastRefusal, busEvents.sum(), decided,
                Percentiles.of(latencies), inferenceSentAt.size(), failures, deadLetters.sum(), reasons);
    }

    /**
     * The status at one moment.
     *
     * @param statuses per tenant: devices ONLINE, SUSPECT, OFFLINE (by {@link LivenessStatus} ordinal)
     */
    record Snapshot(long at, Map<String, int[]> statuses, Map<String, Long> registered, long registrationsRejected,
            String lastRegistrationRejection, long sent,
            long accepted, long refused, long unavailable, long failed, String lastRefusal, long busEvents,
            Map<String, Long> decisions, Percentiles inference, int inferencePending, Map<String, Long> inferenceFailures,
            long deadLetters, Map<String, Long> deadLetterReasons) {
    }
}
