package io.autoglm.fleet.triggers.reliability;

import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Latencies from an event's {@code time} (set when it was published) to its arrival, in
 * microseconds, while {@link #recording()}; percentiles by nearest rank.
 */
final class LatencyLog {

    private final long[] micros;
    private final AtomicInteger count = new AtomicInteger();
    private volatile boolean recording;

    LatencyLog(int capacity) {
        micros = new long[capacity];
    }

    void record(Instant published) {
        if (!recording) {
            return;
        }
        Instant now = Instant.now();
        int index = count.getAndIncrement();
        if (index < micros.length) {
            micros[index] = (now.getEpochSecond() - published.getEpochSecond()) * 1_000_000
                    + (now.getNano() - published.getNano()) / 1_000;
        }
    }

    void start() {
        count.set(0);
        recording = true;
    }

    void stop() {
        recording = false;
    }

    int size() {
        return Math.min(count.get(), micros.length);
    }

    /** The {@code quantile} (0..1) in milliseconds. */
    double millis(double quantile) {
        long[] sorted = Arrays.copyOf(micros, size());
        Arrays.sort(sorted);
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1000.0;
    }
}
