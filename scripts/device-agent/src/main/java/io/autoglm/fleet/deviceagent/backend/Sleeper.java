package io.autoglm.fleet.deviceagent.backend;

import java.time.Duration;

/** Waits between and after device actions; tests pass one that only records what it was asked to wait. */
@FunctionalInterface
public interface Sleeper {

    Sleeper REAL = duration -> {
        if (!duration.isZero() && !duration.isNegative()) {
            Thread.sleep(duration.toMillis());
        }
    };

    void sleep(Duration duration) throws InterruptedException;
}
