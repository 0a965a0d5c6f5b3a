package io.autoglm.fleet.liveness;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LivenessPolicyTest {

    private final LivenessPolicy.Thresholds defaults = LivenessPolicy.DEFAULT.thresholds();

    @Test
    void aMetronomeSteadyDeviceIsSuspectedHalfWayToTheTimeoutAndOfflineAtIt() {
        assertThat(defaults.suspectAfter(1000, 0)).isEqualTo(2000);
        assertThat(defaults.offlineAfter(1000, 0)).isEqualTo(3000);
    }

    @Test
    void jitterOfHalfTheIntervalDelaysSuspicionButNotTheTimeout() {
        double uniformJitterVariance = 1000.0 * 1000.0 / 12; // gaps uniform in [0.5 s, 1.5 s]

        assertThat(defaults.suspectAfter(1000, uniformJitterVariance)).isBetween(2500L, 2700L);
        assertThat(defaults.offlineAfter(1000, uniformJitterVariance)).isEqualTo(3000);
    }

    @Test
    void aVeryJitteryLinkStretchesTheTimeoutUpToItsLimit() {
        assertThat(defaults.offlineAfter(1200, 600 * 600)).isBetween(4500L, 4700L);
        assertThat(defaults.offlineAfter(1000, 5000.0 * 5000)).isEqualTo(9000);
        assertThat(defaults.suspectAfter(1000, 5000.0 * 5000)).isEqualTo(9000);
    }

    @Test
    void nonsenseIsRefusedWithTheReason() {
        assertThatThrownBy(() -> new LivenessPolicy(Duration.ofSeconds(3), Duration.ofSeconds(1), 8, Duration.ofMillis(100), 3, 2))
                .hasMessageContaining("must be longer than the heartbeat interval");
        assertThatThrownBy(() -> new LivenessPolicy(Duration.ofSeconds(1), Duration.ofSeconds(3), 0.5, Duration.ofMillis(100), 3, 2))
                .hasMessageContaining("phi must be in [1, 16]");
    }
}
