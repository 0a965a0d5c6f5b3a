package io.autoglm.fleet.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders {@link FleetStatus} for people: a few live lines while the simulation runs (rates between
 * two snapshots), and the summary at the end.
 */
final class StatusBoard {

    private static final String[] STATES = {"ONLINE", "SUSPECT", "OFFLINE"};

    private StatusBoard() {
    }

    /** The live status: devices per tenant, traffic, routing, inference, dead letters. */
    static List<String> live(Duration elapsed, FleetStatus.Snapshot now, FleetStatus.Snapshot before) {
        double seconds = Math.max(1e-3, (now.at() - before.at()) / 1e9);
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "t+%s  devices: %s", clock(elapsed), devices(now)));
        FleetStatus.SinkCounts sink = now.sink();
        lines.add(String.format(Locale.ROOT, "         sink: %,d events accepted (%.0f/s), %,d refused, %,d unavailable, %,d no answer, %,d in flight"
                        + " | bus: %.0f events/s", sink.accepted(), (sink.accepted() - before.sink().accepted()) / seconds, sink.refused(),
                sink.unavailable(), sink.unanswered(), sink.inFlight(), (now.busEvents() - before.busEvents()) / seconds));
        lines.add(String.format(Locale.ROOT, "         routing: %s", decisions(now.decisions())));
        lines.add(String.format(Locale.ROOT, "         commands: %s", commands(now.commands())));
        if (now.tasks().submitted() > 0) {
            lines.add(String.format(Locale.ROOT, "         tasks: %s, %.1f steps/s", tasks(now.tasks()), (now.tasks().steps() - before.tasks().steps()) / seconds));
        }
        lines.add(String.format(Locale.ROOT, "         gateway: %s", gateway(now.gateway())));
        lines.add(String.format(Locale.ROOT, "         rejected because: %s", rejections(now.rejections(), 3)));
        lines.add(String.format(Locale.ROOT, "         inference: %s | dead letters: %,d", inference(now), now.deadLetters()));
        return lines;
    }

    /** The final summary. */
    static List<String> summary(Duration elapsed, FleetStatus.Snapshot end, List<String> missing) {
        double seconds = Math.max(1e-3, elapsed.toNanos() / 1e9);
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add("Fleet simulation summary (" + clock(elapsed) + ")");
        lines.add(String.format(Locale.ROOT, "  devices         %s", devices(end)));
        if (end.registrationsRejected() > 0) {
            lines.add(String.format(Locale.ROOT, "                  %d registrations rejected; the last: %s", end.registrationsRejected(),
                    truncate(String.valueOf(end.lastRegistrationRejection()), 160)));
        }
        FleetStatus.SinkCounts sink = end.sink();
        lines.add(String.format(Locale.ROOT, "  sink            %,d events sent = %,d accepted (%.0f/s) + %,d refused + %,d unavailable (503)"
                        + " + %,d without answer + %,d in flight at stop", sink.sent(), sink.accepted(), sink.accepted() / seconds, sink.refused(),
                sink.unavailable(), sink.unanswered(), sink.inFlight()));
        if (sink.unaccounted() != 0) {
            lines.add(String.format(Locale.ROOT, "                  %,d events sent are in none of these (a bug of the simulator's counts)", sink.unaccounted()));
        }
        if (sink.skipped() > 0) {
            lines.add(String.format(Locale.ROOT, "                  %,d events not sent: %d requests were already waiting for the sink", sink.skipped(),
                    SinkClient.MAX_IN_FLIGHT));
        }
        if (sink.refused() > 0) {
            lines.add("                  last refusal: " + truncate(sink.lastRefusal(), 160));
        }
        lines.add(String.format(Locale.ROOT, "  bus             %,d events seen (%.0f/s)", end.busEvents(), end.busEvents() / seconds));
        lines.add(String.format(Locale.ROOT, "  routing         %s", decisions(end.decisions())));
        if (!end.rejections().isEmpty()) {
            lines.add(String.format(Locale.ROOT, "  rejected        %s", rejections(end.rejections(), 5)));
            lines.add("                  the last: " + truncate(String.valueOf(end.lastRejection()), 200));
        }
        lines.add(String.format(Locale.ROOT, "  commands        %s", commands(end.commands())));
        CommandBook.Counts commands = end.commands();
        if (commands.steadyRoundTrip().count() > 0) {
            Percentiles steady = commands.steadyRoundTrip();
            lines.add(String.format(Locale.ROOT, "                  round trip after the warm-up: p50 %.0f ms, p99 %.0f ms (%,d commands)", steady.p50(),
                    steady.p99(), steady.count()));
        }
        lines.add(String.format(Locale.ROOT, "                  %,d requested = %,d ended + %,d within their deadlines + %,d overdue%s", commands.requested(),
                commands.ended(), commands.requested() - commands.ended() - commands.overdue(), commands.overdue(),
                commands.overdue() == 0 ? " (every command requested is in one terminal state or still within its deadlines)"
                        : " (neither ended nor within their deadlines: the command lifecycle lost them)"));
        TaskBook.Counts tasks = end.tasks();
        if (tasks.submitted() > 0) {
            lines.add(String.format(Locale.ROOT, "  tasks           %s, %,d steps (%.1f/s)", tasks(tasks), tasks.steps(), tasks.steps() / seconds));
            if (tasks.duration().count() > 0) {
                lines.add(String.format(Locale.ROOT, "                  submitted -> ended: p50 %.1f s, p99 %.1f s (%,d tasks)", tasks.duration().p50() / 1000,
                        tasks.duration().p99() / 1000, tasks.duration().count()));
            }
            tasks.failures().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(5)
                    .forEach(reason -> lines.add(String.format(Locale.ROOT, "                  %,6d failed: %s%s", reason.getValue(), reason.getKey(),
                            tasks.lastFailure().containsKey(reason.getKey()) ? " (the last: " + truncate(tasks.lastFailure().get(reason.getKey()), 200) + ")" : "")));
            lines.add(String.format(Locale.ROOT, "                  %,d submitted = %,d ended (completed, failed with a reason, canceled) + %,d on their way at "
                    + "the stop%s", tasks.submitted(), tasks.ended(), tasks.onTheirWay(), tasks.unaccounted() == 0 ? ""
                    : String.format(Locale.ROOT, " + %,d in no state (a bug of the simulator's counts)", tasks.unaccounted())));
        }
        lines.add(String.format(Locale.ROOT, "  gateway         %s", gateway(end.gateway())));
        lines.add(String.format(Locale.ROOT, "  inference       %s", inference(end)));
        if (!end.inferenceFailures().isEmpty()) {
            lines.add("                  failed: " + end.inferenceFailures());
        }
        lines.add(String.format(Locale.ROOT, "  dead letters    %,d", end.deadLetters()));
        end.deadLetterReasons().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(5)
                .forEach(reason -> lines.add(String.format(Locale.ROOT, "                  %,6d  %s", reason.getValue(), reason.getKey())));
        if (!missing.isEmpty()) {
            lines.add("  missing         " + String.join(", ", missing) + ": not in this checkout or not built; their events wait in Pulsar");
        }
        return lines;
    }

    private static String devices(FleetStatus.Snapshot snapshot) {
        if (snapshot.statuses().isEmpty()) {
            return "no device registered yet";
        }
        return snapshot.statuses().entrySet().stream().map(tenant -> {
            int[] counts = tenant.getValue();
            StringBuilder text = new StringBuilder(tenant.getKey()).append(':');
            for (int i = 0; i < STATES.length; i++) {
                text.append(' ').append(counts[i]).append(' ').append(STATES[i]);
            }
            long registered = snapshot.registered().getOrDefault(tenant.getKey(), 0L);
            return text.append(" (").append(registered).append(" registered)").toString();
        }).collect(Collectors.joining(" | "));
    }

    private static String commands(CommandBook.Counts counts) {
        if (counts.requested() == 0) {
            return "none requested yet";
        }
        String states = counts.byState().entrySet().stream().map(e -> String.format(Locale.ROOT, "%,d %s", e.getValue(), e.getKey()))
                .collect(Collectors.joining(", "));
        Percentiles trip = counts.roundTrip();
        return String.format(Locale.ROOT, "%s%s%s | round trip %s", states.isEmpty() ? "" : states + ", ",
                counts.refused() == 0 ? "" : String.format(Locale.ROOT, "%,d refused by the router, ", counts.refused()),
                String.format(Locale.ROOT, "%,d not in the table yet", counts.unknown()),
                trip.count() == 0 ? "-" : String.format(Locale.ROOT, "p50 %.0f ms, p99 %.0f ms (%,d)", trip.p50(), trip.p99(), trip.count()));
    }

    private static String tasks(TaskBook.Counts counts) {
        String states = counts.byState().entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> String.format(Locale.ROOT, "%,d %s", e.getValue(), e.getKey())).collect(Collectors.joining(", "));
        Percentiles overhead = counts.overhead();
        return String.format(Locale.ROOT, "%s | our overhead per step %s | %,d hand-overs, %,d confirmed, %,d refused, %,d taken over", states,
                overhead.count() == 0 ? "-" : String.format(Locale.ROOT, "p50 %.0f ms, p99 %.0f ms", overhead.p50(), overhead.p99()),
                counts.handOvers(), counts.confirmations(), counts.refusals(), counts.takeOvers());
    }

    private static String gateway(FleetStatus.GatewayCounts gateway) {
        if (gateway.sockets() == 0 && gateway.framesWritten() == 0) {
            return "no device on a socket";
        }
        String replicas = gateway.perReplica().entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %,d", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "%,d sockets open (presence: %s), %,d commands run on devices, %,d frames written, %,d lost, errors %s,"
                        + " %,d duplicate deliveries dropped", gateway.sockets(), replicas.isEmpty() ? "-" : replicas, gateway.commandsRun(),
                gateway.framesWritten(), gateway.framesLost(), gateway.errors().isEmpty() ? "none" : gateway.errors(), gateway.duplicates());
    }

    private static String decisions(Map<String, Long> decisions) {
        return decisions.isEmpty() ? "no decision yet"
                : decisions.entrySet().stream().map(d -> String.format(Locale.ROOT, "%,d %s", d.getValue(), d.getKey()))
                .collect(Collectors.joining(", "));
    }

    /** The {@code top} reasons of the router's rejections, most frequent first. */
    private static String rejections(Map<String, Long> reasons, int top) {
        if (reasons.isEmpty()) {
            return "nothing rejected";
        }
        String shown = reasons.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(top).map(r -> String.format(Locale.ROOT, "%,d %s", r.getValue(), r.getKey())).collect(Collectors.joining(", "));
        return reasons.size() > top ? shown + " (and " + (reasons.size() - top) + " more reasons)" : shown;
    }

    private static String inference(FleetStatus.Snapshot snapshot) {
        Percentiles latency = snapshot.inference();
        if (latency.count() == 0) {
            return "no answer yet (" + snapshot.inferencePending() + " waiting)";
        }
        return String.format(Locale.ROOT, "%,d answered, p50 %.0f ms, p99 %.0f ms (%d waiting)", latency.count(), latency.p50(),
                latency.p99(), snapshot.inferencePending());
    }

    static String clock(Duration elapsed) {
        long seconds = elapsed.toSeconds();
        return String.format(Locale.ROOT, "%02d:%02d", seconds / 60, seconds % 60);
    }

    private static String truncate(String text, int length) {
        return text.length() > length ? text.substring(0, length) + "..." : text;
    }
}
