package io.autoglm.fleet.local;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Keeps the local stack's processes running: when one dies it says so at once (which one, its exit
 * status, the last lines of its log), starts it again after the {@link RestartBackoff}'s delay, and gives
 * up, saying so, after repeated quick deaths. Every death is kept for the run's exit status. Once
 * {@link #stop()}ped (the stack is stopping) an exit is expected and nothing is restarted.
 */
final class Supervisor {

    /** Lines of a dead process's log shown on the console. */
    static final int TAIL_LINES = 10;
    /** Characters of each such line shown (a client's configuration dump can be thousands); the log has them all. */
    static final int TAIL_WIDTH = 240;

    /** Runs a task later (a scheduled executor in the stack, at once in tests). */
    @FunctionalInterface
    interface Scheduler {
        void schedule(Duration delay, Runnable task);
    }

    /** Told when a process was started again ({@code restart}: how many times so far), e.g. to wait for its readiness. */
    @FunctionalInterface
    interface Restarted {
        void restarted(StackProcess process, int restart);
    }

    /**
     * One death during the run.
     *
     * @param exitStatus the exit status (128 + n when killed by signal n)
     * @param uptime     how long that start of the process had run
     * @param decision   what was done about it
     */
    record Death(String name, int exitStatus, Duration uptime, RestartBackoff.Decision decision) {
    }

    private final Consumer<String> console;
    private final Scheduler scheduler;
    private final LongSupplier nanoTime;
    private final Consumer<String> gaveUp;
    private final List<Death> deaths = new ArrayList<>();
    private final Map<String, RestartBackoff> backoffs = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    /**
     * @param console  where reports go (one call per report, possibly several lines)
     * @param nanoTime the clock uptimes are measured with
     * @param gaveUp   told the name of a process that will not be started again
     */
    Supervisor(Consumer<String> console, Scheduler scheduler, LongSupplier nanoTime, Consumer<String> gaveUp) {
        this.console = Objects.requireNonNull(console, "console");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.gaveUp = Objects.requireNonNull(gaveUp, "gaveUp");
    }

    /** Watches {@code process} from here on (its uptime counted from its start, not from now). */
    void supervise(StackProcess process, RestartBackoff backoff, Restarted restarted) {
        backoffs.put(process.name(), Objects.requireNonNull(backoff, "backoff"));
        watch(process, process.process(), nanoTime.getAsLong() - Math.round(process.secondsSinceStart() * 1e9), restarted);
    }

    private void watch(StackProcess process, Process incarnation, long startedAt, Restarted restarted) {
        incarnation.onExit().thenRun(() -> died(process, incarnation, startedAt, restarted));
    }

    private void died(StackProcess process, Process incarnation, long startedAt, Restarted restarted) {
        if (stopped) {
            return;
        }
        Duration uptime = Duration.ofNanos(nanoTime.getAsLong() - startedAt);
        int status = incarnation.exitValue();
        RestartBackoff.Decision decision = backoffs.get(process.name()).died(uptime);
        synchronized (deaths) {
            deaths.add(new Death(process.name(), status, uptime, decision));
        }
        StringBuilder report = new StringBuilder().append(String.format("!! %s DIED: %s after %s", process.name(), exitStatus(status),
                took(uptime)));
        List<String> tail = process.logTail(TAIL_LINES);
        if (process.log() != null) {
            report.append(tail.isEmpty() ? "; its log " + process.log() + " is empty" : "; the last lines of " + process.log() + ":");
            tail.forEach(line -> report.append("\n   | ").append(line.length() > TAIL_WIDTH ? line.substring(0, TAIL_WIDTH) + " ..." : line));
        }
        if (decision instanceof RestartBackoff.Restart restart) {
            report.append(String.format("%n!! %s: starting it again in %s (restart %d)", process.name(), RestartBackoff.seconds(restart.delay()),
                    restart.restart()));
            console.accept(report.toString());
            scheduler.schedule(restart.delay(), () -> relaunch(process, restart.restart(), restarted));
        } else {
            report.append(String.format("%n!! %s: NOT starting it again: %s; see %s", process.name(), ((RestartBackoff.GiveUp) decision).reason(),
                    process.log()));
            console.accept(report.toString());
            gaveUp.accept(process.name());
        }
    }

    private void relaunch(StackProcess process, int restart, Restarted restarted) {
        if (stopped) {
            return;
        }
        Process next;
        try {
            next = process.relaunch(restart);
        } catch (IOException | RuntimeException e) {
            console.accept(String.format("!! %s: could not start it again (%s); NOT trying again", process.name(), e.getMessage()));
            gaveUp.accept(process.name());
            return;
        }
        watch(process, next, nanoTime.getAsLong(), restarted);
        restarted.restarted(process, restart);
    }

    /** The stack is stopping: exits from here on are expected, nothing is started again. */
    void stop() {
        stopped = true;
    }

    /** Every death so far, in order. */
    List<Death> deaths() {
        synchronized (deaths) {
            return List.copyOf(deaths);
        }
    }

    /** The deaths of the run in words, for the end of it; empty when none died. */
    List<String> summary() {
        List<Death> all = deaths();
        if (all.isEmpty()) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%d process death%s during the run (so the run's exit status is not 0):", all.size(), all.size() == 1 ? "" : "s"));
        for (Death death : all) {
            lines.add(String.format("  %-19s %s after %s; %s", death.name(), exitStatus(death.exitStatus()), took(death.uptime()),
                    death.decision() instanceof RestartBackoff.Restart restart ? "started again (restart " + restart.restart() + ")"
                            : "not started again: " + ((RestartBackoff.GiveUp) death.decision()).reason()));
        }
        return lines;
    }

    /** {@code 4.2 s}, or {@code 3 min 05 s} from a minute on. */
    static String took(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds < 60 ? String.format(java.util.Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0)
                : String.format(java.util.Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
    }

    /** {@code exit status 1}, or {@code exit status 137 (killed by SIGKILL)}. */
    static String exitStatus(int status) {
        if (status > 128 && status < 128 + 65) {
            return "exit status " + status + " (killed by " + signal(status - 128) + ")";
        }
        return "exit status " + status;
    }

    private static String signal(int number) {
        return switch (number) {
            case 1 -> "SIGHUP";
            case 2 -> "SIGINT";
            case 6 -> "SIGABRT";
            case 9 -> "SIGKILL";
            case 11 -> "SIGSEGV";
            case 15 -> "SIGTERM";
            default -> "signal " + number;
        };
    }
}
