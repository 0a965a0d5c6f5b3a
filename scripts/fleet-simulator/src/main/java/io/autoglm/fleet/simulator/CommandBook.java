package io.autoglm.fleet.simulator;

import io.autoglm.fleet.events.command.CommandState;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every command the simulated operators asked for, and what became of it: refused by the router, or its
 * state in the command state table as the commands function wrote it. Gives the counts by state, the
 * round trip (requested at the sink to SUCCEEDED in the table) and the invariant the summary checks:
 * every command requested is in exactly one terminal state, or still within its deadlines. Thread-safe.
 */
final class CommandBook {

    /** How long after its deadlines a command may take to show its end in the table (a delayed message's own delay, the readers'). */
    static final long SLACK_MS = 10_000;

    /** A command as the simulator knows it. */
    private static final class Entry {
        final long requestedAt;
        final long deadlineAt;
        volatile CommandState state;
        volatile boolean refusedByRouter;

        Entry(long requestedAt, long deadlineAt) {
            this.requestedAt = requestedAt;
            this.deadlineAt = deadlineAt;
        }

        boolean ended() {
            return refusedByRouter || (state != null && state.terminal());
        }
    }

    private final Map<String, Entry> commands = new ConcurrentHashMap<>();
    private final Map<String, List<String>> batches = new ConcurrentHashMap<>();
    private final List<Double> roundTrips = new ArrayList<>();
    private final List<Double> steadyRoundTrips = new ArrayList<>();
    /** Commands requested from then on (millis) make the steady-state round trip; before it, the warm-up. */
    private volatile long steadyFrom = Long.MAX_VALUE;

    /**
     * An operator sent a command at {@code atMillis}; it must have ended by then plus its TTL and its execution
     * timeout (the commands function's default when the command names none).
     */
    void requested(String commandId, long atMillis, long ttlMs, long timeoutMs) {
        commands.putIfAbsent(commandId, new Entry(atMillis, atMillis + ttlMs + timeoutMs + SLACK_MS));
    }

    /** Round trips of commands requested from {@code atMillis} on are also the steady state's (the warm-up is over). */
    void steadyFrom(long atMillis) {
        steadyFrom = atMillis;
    }

    /** The sink did not take it (skipped with too many requests waiting, refused, no answer): the fleet never heard of it. */
    void notAccepted(String commandId) {
        commands.remove(commandId);
    }

    /** A batch of commands, each also {@link #requested}: refused or dispatched together. */
    void batch(String batchId, List<String> commandIds) {
        batches.put(batchId, List.copyOf(commandIds));
    }

    /** The router refused a whole batch. */
    void batchRefusedByRouter(String batchId) {
        batches.getOrDefault(batchId, List.of()).forEach(this::refusedByRouter);
    }

    /** The router refused it: ended, never dispatched. */
    void refusedByRouter(String commandId) {
        Entry entry = commands.get(commandId);
        if (entry != null) {
            entry.refusedByRouter = true;
        }
    }

    /** The command state table has {@code state} for it, written at {@code atMillis}. */
    void state(String commandId, CommandState state, long atMillis) {
        Entry entry = commands.get(commandId);
        if (entry == null) {
            return; // a command of someone else, or of an earlier run
        }
        if (state == CommandState.SUCCEEDED && entry.state != CommandState.SUCCEEDED) {
            double trip = Math.max(0, atMillis - entry.requestedAt);
            synchronized (roundTrips) {
                roundTrips.add(trip);
                if (entry.requestedAt >= steadyFrom) {
                    steadyRoundTrips.add(trip);
                }
            }
        }
        entry.state = state;
    }

    /** What the operators' commands look like at {@code nowMillis}. */
    Counts counts(long nowMillis) {
        Map<CommandState, Long> byState = new EnumMap<>(CommandState.class);
        long refused = 0;
        long unknown = 0;
        long overdue = 0;
        for (Entry entry : commands.values()) {
            if (entry.refusedByRouter) {
                refused++;
            } else if (entry.state == null) {
                unknown++;
            } else {
                byState.merge(entry.state, 1L, Long::sum);
            }
            if (!entry.ended() && nowMillis > entry.deadlineAt) {
                overdue++;
            }
        }
        double[] trips;
        double[] steady;
        synchronized (roundTrips) {
            trips = roundTrips.stream().mapToDouble(Double::doubleValue).toArray();
            steady = steadyRoundTrips.stream().mapToDouble(Double::doubleValue).toArray();
        }
        return new Counts(commands.size(), refused, unknown, byState, overdue, Percentiles.of(trips), Percentiles.of(steady));
    }

    /**
     * @param requested commands the operators sent
     * @param refused   refused by the router (ended)
     * @param unknown   not yet in the table nor refused (on their way through the sink, the router, the commands function)
     * @param overdue   neither ended nor within their deadlines: what the invariant says never happens
     * @param roundTrip requested at the sink -> SUCCEEDED in the table, every command
     * @param steadyRoundTrip the same, of the commands requested after the warm-up ({@code --warm-up})
     */
    record Counts(long requested, long refused, long unknown, Map<CommandState, Long> byState, long overdue, Percentiles roundTrip,
            Percentiles steadyRoundTrip) {

        long ended() {
            return refused + byState.entrySet().stream().filter(e -> e.getKey().terminal()).mapToLong(Map.Entry::getValue).sum();
        }
    }
}
