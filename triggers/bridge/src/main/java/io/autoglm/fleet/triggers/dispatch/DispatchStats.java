package io.autoglm.fleet.triggers.dispatch;

import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * Running counts of one Trigger's subscription: what it received, let through, delivered, retried,
 * replied and dead-lettered, and how often Pulsar had to redeliver because a write of ours failed;
 * and, for whoever observes them, each delivery's lag ({@link #observeDeliveries}) and each attempt's time
 * ({@link #observeAttempts}). The dispatcher's
 * {@code /stats} and its metrics read the same counts.
 */
public final class DispatchStats {

    final LongAdder received = new LongAdder();
    final LongAdder filteredOut = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LongAdder retries = new LongAdder();
    final LongAdder replies = new LongAdder();
    final LongAdder deadLettered = new LongAdder();
    final LongAdder redelivered = new LongAdder();
    private volatile LongConsumer deliveryLag = millis -> { };
    private volatile LongConsumer attemptTime = nanos -> { };

    /**
     * Hands each delivery's lag to {@code observer} (a histogram): the milliseconds from the event's write to Pulsar
     * to its acknowledgement after the subscriber's 2xx, waits in Pulsar and retries included.
     */
    public void observeDeliveries(LongConsumer observer) {
        this.deliveryLag = Objects.requireNonNull(observer);
    }

    /** Hands each attempt's time to {@code observer} (a histogram): nanoseconds from the request to the subscriber's answer or failure. */
    public void observeAttempts(LongConsumer observer) {
        this.attemptTime = Objects.requireNonNull(observer);
    }

    void attempted(long nanos) {
        attemptTime.accept(nanos);
    }

    void delivered(long publishedMillis, long nowMillis) {
        delivered.increment();
        deliveryLag.accept(Math.max(0, nowMillis - publishedMillis));
    }

    public Snapshot snapshot() {
        return new Snapshot(received.sum(), filteredOut.sum(), delivered.sum(), retries.sum(), replies.sum(),
                deadLettered.sum(), redelivered.sum());
    }

    /** The counts at one moment. */
    public record Snapshot(long received, long filteredOut, long delivered, long retries, long replies, long deadLettered,
            long redelivered) {

        /** The events received and not finished yet: not acknowledged, nor handed back to Pulsar. */
        public long inFlight() {
            return Math.max(0, received - filteredOut - delivered - deadLettered - redelivered);
        }

        public Snapshot plus(Snapshot other) {
            return new Snapshot(received + other.received, filteredOut + other.filteredOut, delivered + other.delivered,
                    retries + other.retries, replies + other.replies, deadLettered + other.deadLettered,
                    redelivered + other.redelivered);
        }

        public static Snapshot zero() {
            return new Snapshot(0, 0, 0, 0, 0, 0, 0);
        }
    }
}
