package io.autoglm.fleet.triggers.knative;

import java.time.Duration;

/** Knative's {@code delivery.backoffPolicy}: how the wait before each retry grows. */
public enum BackoffPolicy {
    /** {@code backoffDelay * n} before the n-th retry. */
    LINEAR,
    /** {@code backoffDelay * 2^n} before the n-th retry (Knative's default). */
    EXPONENTIAL;

    /** The wait before retry number {@code retry} (1 for the first retry). */
    public Duration delayBefore(int retry, Duration backoffDelay) {
        if (retry < 1) {
            throw new IllegalArgumentException("retries are numbered from 1, got " + retry);
        }
        if (this == LINEAR) {
            return backoffDelay.multipliedBy(retry);
        }
        // 2^62 ns is 146 years: cap the shift so a large retry count saturates instead of overflowing
        return backoffDelay.multipliedBy(1L << Math.min(retry, 30));
    }
}
