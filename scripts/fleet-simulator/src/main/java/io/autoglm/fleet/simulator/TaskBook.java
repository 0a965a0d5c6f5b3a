package io.autoglm.fleet.simulator;

import io.autoglm.fleet.events.task.StepTimings;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tasks the simulated operators submitted, as a task dashboard shows them: where each is (submitted and not yet on
 * a device, running, paused for a person, ended) and how each ended (completed, failed with its reason, canceled), the
 * steps taken and our own overhead per step (the step's wall time less the model's, the device's and the waits, as the
 * agent function reports it), hand-overs, and the people's answers. Every task submitted ends in one of the end states or
 * is still on its way at the stop: {@link Counts#unaccounted()} is always 0.
 */
final class TaskBook {

    /** Where a task is. */
    enum State {
        SUBMITTED, RUNNING, PAUSED, COMPLETED, FAILED, CANCELED;

        boolean ended() {
            return this == COMPLETED || this == FAILED || this == CANCELED;
        }
    }

    private static final int MAX_SAMPLES = 100_000;

    private final Map<String, State> tasks = new HashMap<>();
    private final Map<String, Long> failures = new TreeMap<>();
    private final Map<String, String> lastDetail = new TreeMap<>();
    private final List<Double> overheads = new ArrayList<>();
    private final List<Double> durations = new ArrayList<>();
    private final Map<String, Long> submittedAt = new HashMap<>();
    private long steps;
    private long handOvers;
    private long confirmations;
    private long refusals;
    private long takeOvers;
    private long notAccepted;
    private long late;

    synchronized void submitted(String taskId, long at) {
        tasks.put(taskId, State.SUBMITTED);
        submittedAt.put(taskId, at);
    }

    /** The sink did not take the task: it is not one of the fleet's. */
    synchronized void notAccepted(String taskId) {
        if (tasks.remove(taskId) != null) {
            submittedAt.remove(taskId);
            notAccepted++;
        }
    }

    synchronized void assigned(String taskId) {
        move(taskId, State.RUNNING);
    }

    synchronized void step(String taskId, StepTimings timings) {
        steps++;
        if (timings != null && overheads.size() < MAX_SAMPLES) {
            overheads.add((double) timings.overheadMs());
        }
        move(taskId, State.RUNNING);
    }

    synchronized void paused(String taskId) {
        move(taskId, State.PAUSED);
    }

    /** A person answered a paused step: the task runs on. */
    synchronized void answered(String taskId, boolean confirmation, boolean given) {
        if (!confirmation) {
            takeOvers++;
        } else if (given) {
            confirmations++;
        } else {
            refusals++;
        }
        move(taskId, State.RUNNING);
    }

    synchronized void handedOver(String taskId) {
        handOvers++;
        move(taskId, State.RUNNING);
    }

    synchronized void ended(String taskId, State state, String reason, long at) {
        ended(taskId, state, reason, null, at);
    }

    /** @param detail what the agent function said of a failure (its last one per reason is kept for the summary) */
    synchronized void ended(String taskId, State state, String reason, String detail, long at) {
        if (!state.ended()) {
            throw new IllegalArgumentException(state + " is not an end");
        }
        State before = tasks.get(taskId);
        if (before == null || before.ended()) {
            late += before == null ? 0 : 1; // another run's task, or a second word on an ended one
            return;
        }
        tasks.put(taskId, state);
        if (state == State.FAILED) {
            String why = reason == null ? "no reason" : reason;
            failures.merge(why, 1L, Long::sum);
            if (detail != null) {
                lastDetail.put(why, detail);
            }
        }
        Long submitted = submittedAt.remove(taskId);
        if (submitted != null && durations.size() < MAX_SAMPLES) {
            durations.add((double) (at - submitted));
        }
    }

    /** A task of this run moves on (never out of an end: a late word on an ended task is noted, not applied). */
    private void move(String taskId, State state) {
        State before = tasks.get(taskId);
        if (before == null) {
            return;
        }
        if (before.ended()) {
            late++;
            return;
        }
        tasks.put(taskId, state);
    }

    synchronized Counts counts() {
        Map<State, Long> byState = new EnumMap<>(State.class);
        for (State state : State.values()) {
            byState.put(state, 0L);
        }
        tasks.values().forEach(state -> byState.merge(state, 1L, Long::sum));
        return new Counts(tasks.size(), byState, Map.copyOf(failures), Map.copyOf(lastDetail), steps, Percentiles.of(toArray(overheads)),
                Percentiles.of(toArray(durations)), handOvers, confirmations, refusals, takeOvers, notAccepted, late);
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * @param submitted tasks the sink took
     * @param overhead  our own overhead per step, ms
     * @param duration  submitted -> ended, ms, of the tasks that ended
     * @param lastFailure per failure reason, what the agent function said of the last one
     * @param late      words on tasks already ended (a redelivered announcement)
     */
    record Counts(long submitted, Map<State, Long> byState, Map<String, Long> failures, Map<String, String> lastFailure, long steps, Percentiles overhead,
            Percentiles duration, long handOvers, long confirmations, long refusals, long takeOvers, long notAccepted, long late) {

        long ended() {
            return byState.get(State.COMPLETED) + byState.get(State.FAILED) + byState.get(State.CANCELED);
        }

        long onTheirWay() {
            return byState.get(State.SUBMITTED) + byState.get(State.RUNNING) + byState.get(State.PAUSED);
        }

        /** Tasks in no state: always 0. */
        long unaccounted() {
            return submitted - ended() - onTheirWay();
        }
    }
}
