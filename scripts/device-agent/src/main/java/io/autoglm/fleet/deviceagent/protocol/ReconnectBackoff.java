package io.autoglm.fleet.deviceagent.protocol;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongUnaryOperator;

/**
 * How long to wait before the next connection attempt: exponential backoff with full jitter (a uniform
 * draw from zero to {@code min(cap, base * 2^failures)}), so the devices of a replica that went away do
 * not all come back in the same instant. A connection that worked resets it.
 */
public final class ReconnectBackoff {

    private final Duration base;
    private final Duration cap;
    private final LongUnaryOperator uniform;
    private int failures;

    /**
     * @param uniform draws a number in {@code [0, bound]} for a bound; tests pass a fixed one
     */
    public ReconnectBackoff(Duration base, Duration cap, LongUnaryOperator uniform) {
        this.base = Objects.requireNonNull(base, "base");
        this.cap = Objects.requireNonNull(cap, "cap");
        this.uniform = Objects.requireNonNull(uniform, "uniform");
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < base <= cap, got " + base + " and " + cap);
        }
    }

    /** The longest wait after {@code failures} failures in a row. */
    public Duration ceiling(int failures) {
        long millis = base.toMillis() << Math.min(failures, 30);
        return millis <= 0 || millis > cap.toMillis() ? cap : Duration.ofMillis(millis);
    }

    /** The wait before the next attempt, counting one more failure. */
    public synchronized Duration next() {
        long bound = ceiling(failures).toMillis();
        failures++;
        return Duration.ofMillis(Math.max(0, Math.min(bound, uniform.applyAsLong(bound))));
    }

    public synchronized void reset() {
        failures = 0;
    }

    public synchronized int failures() {
        return failures;
    }
}
