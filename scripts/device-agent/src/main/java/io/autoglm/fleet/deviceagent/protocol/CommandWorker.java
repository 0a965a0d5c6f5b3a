package io.autoglm.fleet.deviceagent.protocol;

import io.autoglm.fleet.deviceagent.backend.ActionOutcome;
import io.autoglm.fleet.deviceagent.backend.BackendException;
import io.autoglm.fleet.deviceagent.backend.CommandFailedException;
import io.autoglm.fleet.deviceagent.backend.DeviceBackend;
import io.autoglm.fleet.deviceagent.backend.DeviceUnreachableException;
import io.autoglm.fleet.deviceagent.backend.InvalidActionException;
import io.autoglm.fleet.deviceagent.backend.UnknownAppException;
import io.autoglm.fleet.deviceagent.backend.UnsupportedActionException;
import io.autoglm.fleet.events.command.CommandAction;
import io.autoglm.fleet.events.command.CommandFailureReason;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Runs the device's commands one at a time on a thread of its own, with a few waiting behind the one
 * that runs (more are refused: the device is busy). A command canceled while it waits is dropped; one
 * canceled while it runs is interrupted (the tool it runs is killed) and reports nothing. A command with
 * an execution timeout is interrupted when it runs past it and reported as failed.
 */
final class CommandWorker implements AutoCloseable {

    /** A command taken for execution; {@code timeout} is null when the command has none. */
    record Job(String commandId, CommandAction action, Duration timeout, Instant receivedAt) {
        Job {
            Objects.requireNonNull(commandId, "commandId");
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(receivedAt, "receivedAt");
        }
    }

    /** How a job ended: done (with what the backend said), failed (why), or dropped because it was canceled. */
    sealed interface Result {
        record Done(ActionOutcome outcome, Instant startedAt, Instant finishedAt) implements Result {
        }

        record Failed(CommandFailureReason reason, String message, Instant startedAt, Instant finishedAt) implements Result {
        }

        record Dropped() implements Result {
        }
    }

    private final DeviceBackend backend;
    private final int waitingCapacity;
    private final ScheduledExecutorService timers;
    private final Clock clock;
    private final BiConsumer<Job, Result> finished;
    private final ArrayDeque<Job> waiting = new ArrayDeque<>();
    private final Thread thread;
    private Job running;
    private boolean runningCanceled;
    private boolean runningTimedOut;
    private boolean closed;

    /**
     * @param waitingCapacity how many commands may wait behind the running one
     * @param finished        told of every job's end, on the worker's thread
     */
    CommandWorker(DeviceBackend backend, int waitingCapacity, ScheduledExecutorService timers, Clock clock, BiConsumer<Job, Result> finished) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.waitingCapacity = waitingCapacity;
        this.timers = Objects.requireNonNull(timers, "timers");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.finished = Objects.requireNonNull(finished, "finished");
        this.thread = new Thread(this::work, "device-agent-commands");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Takes the job, or false when one runs and {@code waitingCapacity} already wait (or the worker is closed). */
    synchronized boolean offer(Job job) {
        if (closed || (running != null && waiting.size() >= waitingCapacity)) {
            return false;
        }
        waiting.addLast(job);
        notifyAll();
        return true;
    }

    /** Whether the command is waiting or running here. */
    synchronized boolean holds(String commandId) {
        return (running != null && running.commandId().equals(commandId))
                || waiting.stream().anyMatch(job -> job.commandId().equals(commandId));
    }

    /** Drops a waiting command or interrupts the running one; false when neither is this command. */
    synchronized boolean cancel(String commandId) {
        if (waiting.removeIf(job -> job.commandId().equals(commandId))) {
            return true;
        }
        if (running != null && running.commandId().equals(commandId)) {
            runningCanceled = true;
            thread.interrupt();
            return true;
        }
        return false;
    }

    /** Commands running or waiting: a heartbeat's queue depth. */
    synchronized int depth() {
        return waiting.size() + (running == null ? 0 : 1);
    }

    private synchronized void timedOut(Job job) {
        if (running == job) {
            runningTimedOut = true;
            thread.interrupt();
        }
    }

    private void work() {
        while (true) {
            Job job;
            synchronized (this) {
                while (waiting.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        // a cancel that raced the end of the previous job: nothing runs now, go on waiting
                    }
                }
                if (closed) {
                    return;
                }
                job = waiting.removeFirst();
                running = job;
                runningCanceled = false;
                runningTimedOut = false;
                Thread.interrupted();
            }
            ScheduledFuture<?> deadline = job.timeout() == null ? null
                    : timers.schedule(() -> timedOut(job), job.timeout().toMillis(), TimeUnit.MILLISECONDS);
            Result result = run(job);
            if (deadline != null) {
                deadline.cancel(false);
            }
            synchronized (this) {
                if (runningCanceled) {
                    result = new Result.Dropped();
                }
                running = null;
                Thread.interrupted();
            }
            finished.accept(job, result);
        }
    }

    private Result run(Job job) {
        Instant started = clock.instant();
        try {
            ActionOutcome outcome = backend.execute(job.action());
            return new Result.Done(outcome, started, clock.instant());
        } catch (InterruptedException e) {
            String why;
            synchronized (this) {
                why = runningTimedOut ? "ran past its timeout of " + job.timeout().toMillis() + " ms and was stopped"
                        : closed ? "the agent stopped while it ran" : "interrupted";
            }
            return new Result.Failed(CommandFailureReason.INTERRUPTED, why, started, clock.instant());
        } catch (BackendException e) {
            return new Result.Failed(reason(e), e.getMessage(), started, clock.instant());
        } catch (RuntimeException e) {
            return new Result.Failed(CommandFailureReason.EXECUTION_ERROR, "the agent failed: " + e, started, clock.instant());
        }
    }

    /** The contract's reason for each way a backend fails. */
    static CommandFailureReason reason(BackendException e) {
        if (e instanceof UnknownAppException) {
            return CommandFailureReason.APP_NOT_INSTALLED;
        } else if (e instanceof DeviceUnreachableException) {
            return CommandFailureReason.DEVICE_UNREACHABLE;
        } else if (e instanceof InvalidActionException) {
            return CommandFailureReason.INVALID_ARGUMENTS;
        } else if (e instanceof CommandFailedException || e instanceof UnsupportedActionException) {
            return CommandFailureReason.EXECUTION_ERROR;
        }
        throw new IllegalStateException("unknown backend failure " + e.getClass().getName());
    }

    /** Stops taking commands; the running one is interrupted, waiting ones are dropped. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            waiting.clear();
            if (running != null) {
                thread.interrupt();
            }
            notifyAll();
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
