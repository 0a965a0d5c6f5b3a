package io.autoglm.fleet.triggers.dispatch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The log of one Trigger's failed deliveries: a failure is one line with its reason, without a stack
 * trace, and of a run of failures of one kind only the first is written; the others are counted and
 * summed up once per interval ("N more deliveries to X failed: cannot connect"). A subscriber that is
 * down costs a line every few seconds, not one per event. A kind that stayed quiet for a whole interval
 * is forgotten: its next failure is written in full again.
 */
public final class DeliveryFailureLog {

    /** How often counted failures are summed up, unless told otherwise. */
    public static final Duration INTERVAL = Duration.ofSeconds(5);

    private final System.Logger log;
    private final String subject;
    private final Clock clock;
    private final Duration interval;
    /** Failures of each kind since the last summary (0: the kind was written in full, nothing more since). */
    private final Map<String, long[]> counted = new LinkedHashMap<>();
    private Instant lastSummary;

    /**
     * @param subject what each line starts with (e.g. {@code Trigger fleet/heartbeat})
     */
    public DeliveryFailureLog(System.Logger log, String subject, Clock clock, Duration interval) {
        this.log = Objects.requireNonNull(log, "log");
        this.subject = Objects.requireNonNull(subject, "subject");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.lastSummary = clock.instant();
    }

    /**
     * One failure.
     *
     * @param kind what failures of this kind have in common, phrased for the summary
     *             (e.g. {@code deliveries to http://heartbeat failed: cannot connect})
     * @param line the whole line for this failure, written when it is the first of its kind lately
     */
    public void failed(String kind, Supplier<String> line) {
        boolean first;
        synchronized (this) {
            summariseIfDue();
            long[] count = counted.get(kind);
            first = count == null;
            if (first) {
                counted.put(kind, new long[1]);
            } else {
                count[0]++;
            }
        }
        if (first) {
            log.log(System.Logger.Level.WARNING, subject + ": " + line.get());
        }
    }

    /** Writes the counts of the last interval when it is over; for a timer, so that the last ones of a run are not left unsaid. */
    public synchronized void summariseIfDue() {
        Instant now = clock.instant();
        if (Duration.between(lastSummary, now).compareTo(interval) < 0) {
            return;
        }
        lastSummary = now;
        for (Iterator<Map.Entry<String, long[]>> kinds = counted.entrySet().iterator(); kinds.hasNext(); ) {
            Map.Entry<String, long[]> kind = kinds.next();
            long more = kind.getValue()[0];
            if (more == 0) {
                kinds.remove();
            } else {
                kind.getValue()[0] = 0;
                log.log(System.Logger.Level.WARNING, subject + ": " + more + " more " + kind.getKey());
            }
        }
    }
}
