package io.autoglm.fleet.triggers.dispatch;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The circuit breaker of one Trigger. While its subscriber cannot be connected to at all, spending each
 * event's attempts would only burn the backlog into the dead letters; delivery pauses instead. Events in
 * hand wait (unacknowledged: they stay in Pulsar), no new ones are taken, and one waiting event at a time
 * probes the subscriber, at a growing interval. The first answer of any kind (an error status too: the
 * subscriber is there) resumes delivery, and the waiting events go again, their attempts unspent.
 *
 * <p>A pause is bounded ({@link Bounds#maxPause()}): when it lasts longer, the waiting events and every
 * later one that cannot connect go the Trigger's usual way (its retries, then the dead letters, from where
 * they can be replayed) until the subscriber answers again.
 *
 * <p>Delivery reads one volatile field per attempt ({@link #paused()}, {@link #reached()}); everything
 * else runs only while a subscriber is unreachable.
 */
public final class DeliveryPause {

    private static final System.Logger LOG = System.getLogger(DeliveryPause.class.getName());
    private static final int DELIVERING = 0;
    private static final int PAUSED = 1;
    private static final int GIVEN_UP = 2;
    private static final CompletableFuture<Next> GO_ON = CompletableFuture.completedFuture(Next.RESUME);
    private static final CompletableFuture<Next> GIVE_UP = CompletableFuture.completedFuture(Next.GIVE_UP);
    private static final CompletableFuture<Next> STOP = CompletableFuture.completedFuture(Next.STOP);

    /**
     * How a pause probes and how long it may last.
     *
     * @param firstProbe       wait before the first probe; each next one waits twice as long as the one before
     * @param maxProbeInterval longest wait between two probes
     * @param maxPause         longest pause: after it, events that cannot be delivered go to the dead letters
     */
    public record Bounds(Duration firstProbe, Duration maxProbeInterval, Duration maxPause) {
        public static final Bounds DEFAULTS = new Bounds(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofMinutes(5));

        public Bounds {
            Objects.requireNonNull(firstProbe, "firstProbe");
            Objects.requireNonNull(maxProbeInterval, "maxProbeInterval");
            Objects.requireNonNull(maxPause, "maxPause");
            if (firstProbe.isNegative() || firstProbe.isZero() || maxProbeInterval.compareTo(firstProbe) < 0 || maxPause.isNegative()) {
                throw new IllegalArgumentException("need 0 < firstProbe <= maxProbeInterval and maxPause >= 0, got " + this);
            }
        }
    }

    /** What a waiting event does next. */
    public enum Next {
        /** Try the subscriber: this event is the probe. */
        PROBE,
        /** Deliver as usual: the subscriber answered (or there is no pause). */
        RESUME,
        /** The pause outlasted its bound: the failed connection counts as a failed attempt (retries, then the dead letters). */
        GIVE_UP,
        /** The subscription is closing: the event is left to Pulsar, which redelivers it. */
        STOP
    }

    /**
     * The unreachable subscriber, as readiness and {@code /stats} show it.
     *
     * @param since        when the first attempt could not connect
     * @param reason       what that attempt said
     * @param waiting      events in hand waiting for the subscriber
     * @param probes       probes made so far
     * @param deadLettering whether the pause outlasted its bound, so that undeliverable events go to the dead letters
     */
    public record State(Instant since, String reason, int waiting, int probes, boolean deadLettering) {
    }

    /** Runs a task later (the subscription's scheduler; tests run it by hand). */
    @FunctionalInterface
    public interface Timer {
        void schedule(Runnable task, Duration delay);
    }

    private final String trigger;
    private final URI subscriber;
    private final Bounds bounds;
    private final Clock clock;
    private final Timer timer;
    private final ArrayDeque<CompletableFuture<Next>> waiting = new ArrayDeque<>();
    private volatile int mode = DELIVERING;
    // the rest is guarded by `this`
    private Instant since;
    private String reason;
    private int probes;
    private Duration interval;
    private boolean closed;

    /**
     * @param trigger    the Trigger's id, for the log
     * @param subscriber its subscriber, for the log
     */
    public DeliveryPause(String trigger, URI subscriber, Bounds bounds, Clock clock, Timer timer) {
        this.trigger = Objects.requireNonNull(trigger, "trigger");
        this.subscriber = Objects.requireNonNull(subscriber, "subscriber");
        this.bounds = Objects.requireNonNull(bounds, "bounds");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timer = Objects.requireNonNull(timer, "timer");
    }

    /** Whether delivery is paused: no new event should be taken or sent. */
    public boolean paused() {
        return mode == PAUSED;
    }

    /**
     * An event waits for the subscriber: its attempt could not connect ({@code reason} says why), or it
     * was about to be sent while paused ({@code reason} null). The first unreachable attempt starts the pause.
     *
     * @return when and how the event goes on
     */
    public CompletableFuture<Next> hold(String reason) {
        CompletableFuture<Next> next;
        synchronized (this) {
            if (closed) {
                return STOP;
            }
            if (mode == GIVEN_UP || mode == DELIVERING && reason == null) {
                return reason == null ? GO_ON : GIVE_UP;
            }
            if (mode == DELIVERING) {
                mode = PAUSED;
                since = clock.instant();
                this.reason = reason;
                probes = 0;
                interval = bounds.firstProbe();
                LOG.log(System.Logger.Level.WARNING, "Trigger {0}: {1} is unreachable ({2}); delivery paused, the events stay in "
                        + "Pulsar; probing from {3}, dead letters after {4}", trigger, subscriber, reason, interval, bounds.maxPause());
                schedule(interval.compareTo(bounds.maxPause()) < 0 ? interval : bounds.maxPause());
            }
            next = new CompletableFuture<>();
            waiting.addLast(next);
        }
        return next;
    }

    /** An attempt got an answer (any status, or none in time on an open connection): the subscriber is there. */
    public void reached() {
        if (mode == DELIVERING) {
            return;
        }
        List<CompletableFuture<Next>> resumed;
        synchronized (this) {
            if (mode == DELIVERING) {
                return;
            }
            LOG.log(System.Logger.Level.INFO, "Trigger {0}: {1} answers again after {2} unreachable; delivering ({3} waiting event(s) go again)",
                    trigger, subscriber, Duration.between(since, clock.instant()), waiting.size());
            mode = DELIVERING;
            resumed = drain();
        }
        resumed.forEach(event -> event.complete(Next.RESUME));
    }

    /** The pause now, if the subscriber is unreachable. */
    public synchronized Optional<State> state() {
        return mode == DELIVERING ? Optional.empty() : Optional.of(new State(since, reason, waiting.size(), probes, mode == GIVEN_UP));
    }

    /** The subscription closes: waiting events are left to Pulsar. */
    public void close() {
        List<CompletableFuture<Next>> stopped;
        synchronized (this) {
            closed = true;
            stopped = drain();
        }
        stopped.forEach(event -> event.complete(Next.STOP));
    }

    private void probe() {
        CompletableFuture<Next> probe;
        List<CompletableFuture<Next>> givenUp;
        synchronized (this) {
            if (mode != PAUSED || closed) {
                return;
            }
            Duration paused = Duration.between(since, clock.instant());
            if (paused.compareTo(bounds.maxPause()) >= 0) {
                LOG.log(System.Logger.Level.WARNING, "Trigger {0}: {1} unreachable for {2}, over the longest pause ({3}); events that "
                        + "cannot be delivered now go to the dead letters ({4} waiting)", trigger, subscriber, paused, bounds.maxPause(),
                        waiting.size());
                mode = GIVEN_UP;
                givenUp = drain();
                probe = null;
            } else {
                givenUp = List.of();
                probe = waiting.pollFirst();
                probes++;
                interval = interval.multipliedBy(2).compareTo(bounds.maxProbeInterval()) > 0 ? bounds.maxProbeInterval() : interval.multipliedBy(2);
                Duration left = bounds.maxPause().minus(paused);
                schedule(interval.compareTo(left) < 0 ? interval : left);
            }
        }
        givenUp.forEach(event -> event.complete(Next.GIVE_UP));
        if (probe != null) {
            probe.complete(Next.PROBE);
        }
    }

    private void schedule(Duration delay) {
        timer.schedule(this::probe, delay);
    }

    private List<CompletableFuture<Next>> drain() {
        List<CompletableFuture<Next>> all = new ArrayList<>(waiting);
        waiting.clear();
        return all;
    }
}
