package io.autoglm.fleet.service;

import io.micrometer.core.instrument.Timer;

import java.time.Duration;

/**
 * The latency buckets every service's timers share, 1 ms to 30 s, so that {@code histogram_quantile} works on
 * {@code *_seconds_bucket} and one dashboard reads every service: a dozen buckets per timer, not Micrometer's
 * ~70 of a percentile histogram.
 */
public final class LatencyHistogram {

    static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private LatencyHistogram() {
    }

    /** A timer {@code name} with the shared buckets (register it with its tags). */
    public static Timer.Builder timer(String name, String description) {
        return Timer.builder(name).description(description).serviceLevelObjectives(BUCKETS)
                .minimumExpectedValue(BUCKETS[0]).maximumExpectedValue(BUCKETS[BUCKETS.length - 1]);
    }
}
