package io.autoglm.fleet.triggers.knative;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A Trigger's {@code spec.delivery}: how often a failed delivery is retried after the first attempt
 * ({@code retry}), how long to wait before each retry, how long one attempt may take
 * ({@code timeout}, Knative's delivery-timeout feature) and where events go when every attempt failed.
 *
 * @param retry          retries after the first attempt; 0 means one attempt only
 * @param backoffPolicy  linear or exponential growth of the wait
 * @param backoffDelay   the base wait ({@code backoffDelay}, ISO-8601)
 * @param timeout        the limit of one attempt, when the Trigger sets one
 * @param deadLetterSink the Trigger's {@code deadLetterSink}, when it names one
 */
public record DeliverySpec(int retry, BackoffPolicy backoffPolicy, Duration backoffDelay, Optional<Duration> timeout,
        Optional<Destination> deadLetterSink) {

    /** Knative's defaults when a Trigger has no {@code delivery}: one attempt, exponential from 0.2 s. */
    public static final DeliverySpec DEFAULT =
            new DeliverySpec(0, BackoffPolicy.EXPONENTIAL, Duration.ofMillis(200), Optional.empty(), Optional.empty());

    public DeliverySpec {
        if (retry < 0) {
            throw new IllegalArgumentException("retry must be >= 0, got " + retry);
        }
        Objects.requireNonNull(backoffPolicy, "backoffPolicy");
        Objects.requireNonNull(backoffDelay, "backoffDelay");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(deadLetterSink, "deadLetterSink");
    }

    /** Attempts in all: the first one plus {@code retry}. */
    public int maxAttempts() {
        return retry + 1;
    }

    /**
     * The wait before the next attempt after {@code attemptsMade} failed attempts, or empty when the
     * retries are used up.
     */
    public Optional<Duration> delayAfter(int attemptsMade) {
        if (attemptsMade < 1) {
            throw new IllegalArgumentException("at least one attempt must have been made, got " + attemptsMade);
        }
        return attemptsMade > retry ? Optional.empty() : Optional.of(backoffPolicy.delayBefore(attemptsMade, backoffDelay));
    }
}
