package io.autoglm.fleet.events.task;

/**
 * Where a step's time went: its wall time from the observation sent to the outcome of its action, the model's share (the
 * inference's total time as the backend reported it), the device's (the commands' execution times by the device's clock),
 * the time spent waiting on purpose ({@code Wait}, a person confirming or taking over), and what is left: our own
 * overhead (Pulsar hops, functions, gateway, queues), never below zero.
 */
public record StepTimings(long wallMs, long modelMs, long deviceMs, long waitedMs, long overheadMs) {

    /** The timings of a step that took {@code wallMs}, the overhead being what the others leave. */
    public static StepTimings of(long wallMs, long modelMs, long deviceMs, long waitedMs) {
        return new StepTimings(wallMs, modelMs, deviceMs, waitedMs, Math.max(0, wallMs - modelMs - deviceMs - waitedMs));
    }
}
