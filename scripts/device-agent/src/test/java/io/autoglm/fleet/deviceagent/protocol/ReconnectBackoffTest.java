package io.autoglm.fleet.deviceagent.protocol;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReconnectBackoffTest {

    @Test
    void theCeilingDoublesFromTheBaseUpToTheCap() {
        ReconnectBackoff backoff = new ReconnectBackoff(Duration.ofMillis(500), Duration.ofSeconds(30), bound -> bound);

        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            waits.add(backoff.next().toMillis());
        }

        assertThat(waits).containsExactly(500L, 1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L, 30000L);
        assertThat(backoff.ceiling(200)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void eachWaitIsAFullJitterDrawBelowTheCeiling() {
        List<Long> bounds = new ArrayList<>();
        ReconnectBackoff backoff = new ReconnectBackoff(Duration.ofMillis(500), Duration.ofSeconds(30), bound -> {
            bounds.add(bound);
            return bound / 4;
        });

        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(125));
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(250));
        assertThat(bounds).containsExactly(500L, 1000L);
    }

    @Test
    void aDrawOutsideTheRangeIsKeptInsideIt() {
        ReconnectBackoff tooLong = new ReconnectBackoff(Duration.ofMillis(500), Duration.ofSeconds(30), bound -> bound * 10);
        ReconnectBackoff negative = new ReconnectBackoff(Duration.ofMillis(500), Duration.ofSeconds(30), bound -> -1);

        assertThat(tooLong.next()).isEqualTo(Duration.ofMillis(500));
        assertThat(negative.next()).isEqualTo(Duration.ZERO);
    }

    @Test
    void aConnectionThatWorkedStartsItOver() {
        ReconnectBackoff backoff = new ReconnectBackoff(Duration.ofMillis(500), Duration.ofSeconds(30), bound -> bound);
        backoff.next();
        backoff.next();
        assertThat(backoff.failures()).isEqualTo(2);

        backoff.reset();

        assertThat(backoff.failures()).isZero();
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void theBaseMustBePositiveAndBelowTheCap() {
        assertThatThrownBy(() -> new ReconnectBackoff(Duration.ZERO, Duration.ofSeconds(1), b -> b)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1), b -> b)).isInstanceOf(IllegalArgumentException.class);
    }
}
