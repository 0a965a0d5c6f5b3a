package io.autoglm.fleet.triggers.knative;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class DeliverySpecTest {

    private static final Duration DELAY = Duration.ofMillis(100);

    @Test
    void linearBackoffWaitsDelayTimesTheRetryNumber() {
        DeliverySpec spec = new DeliverySpec(3, BackoffPolicy.LINEAR, DELAY, Optional.empty(), Optional.empty());
        assertThat(spec.delayAfter(1)).contains(Duration.ofMillis(100));
        assertThat(spec.delayAfter(2)).contains(Duration.ofMillis(200));
        assertThat(spec.delayAfter(3)).contains(Duration.ofMillis(300));
        assertThat(spec.delayAfter(4)).as("3 retries after the first attempt: 4 attempts in all").isEmpty();
        assertThat(spec.maxAttempts()).isEqualTo(4);
    }

    @Test
    void exponentialBackoffWaitsDelayTimesTwoToTheRetryNumber() {
        DeliverySpec spec = new DeliverySpec(3, BackoffPolicy.EXPONENTIAL, DELAY, Optional.empty(), Optional.empty());
        assertThat(spec.delayAfter(1)).contains(Duration.ofMillis(200));
        assertThat(spec.delayAfter(2)).contains(Duration.ofMillis(400));
        assertThat(spec.delayAfter(3)).contains(Duration.ofMillis(800));
        assertThat(spec.delayAfter(4)).isEmpty();
    }

    @Test
    void withoutRetriesThereIsOneAttempt() {
        assertThat(DeliverySpec.DEFAULT.maxAttempts()).isEqualTo(1);
        assertThat(DeliverySpec.DEFAULT.delayAfter(1)).isEmpty();
    }

    @Test
    void aHugeRetryCountSaturatesInsteadOfOverflowing() {
        assertThat(BackoffPolicy.EXPONENTIAL.delayBefore(1000, Duration.ofMillis(1))).isEqualTo(Duration.ofMillis(1L << 30));
    }
}
