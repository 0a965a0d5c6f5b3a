package io.autoglm.fleet.triggers.dispatch;

import java.util.concurrent.atomic.LongAdder;

/**
 * Running counts of one Trigger's subscription: what it received, let through, delivered, retried,
 * replied and dead-lettered, and how often Pulsar had to redeliver because a write of ours failed.
 */
public final class DispatchStats {

    final LongAdder received = new LongAdder();
    final LongAdder filteredOut = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LongAdder retries = new LongAdder();
    final LongAdder replies = new LongAdder();
    final LongAdder deadLettered = new LongAdder();
    final LongAdder redelivered = new LongAdder();

    public Snapshot snapshot() {
        return new Snapshot(received.sum(), filteredOut.sum(), delivered.sum(), retries.sum(), replies.sum(),
                deadLettered.sum(), redelivered.sum());
    }

    /** The counts at one moment. */
    public record Snapshot(long received, long filteredOut, long delivered, long retries, long replies, long deadLettered,
            long redelivered) {

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
