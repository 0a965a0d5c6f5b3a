package io.autoglm.fleet.triggers.dispatch;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DispatchStatsTest {

    @Test
    void whatWasReceivedAndNotFinishedIsInFlight() {
        DispatchStats stats = new DispatchStats();
        for (int i = 0; i < 5; i++) {
            stats.received.increment();
        }
        stats.filteredOut.increment();
        stats.delivered(1_000, 1_010);
        stats.redelivered.increment();

        assertThat(stats.snapshot().inFlight()).isEqualTo(2);
        assertThat(stats.snapshot().delivered()).isEqualTo(1);
    }

    @Test
    void anObserverIsHandedEachDeliverysLagNeverBelowZero() {
        DispatchStats stats = new DispatchStats();
        List<Long> lags = new ArrayList<>();
        stats.observeDeliveries(lags::add);

        stats.delivered(1_000, 1_250);
        stats.delivered(2_000, 1_990); // the writer's clock a little ahead

        assertThat(lags).containsExactly(250L, 0L);
    }

    @Test
    void anObserverIsHandedEachAttemptsTime() {
        DispatchStats stats = new DispatchStats();
        List<Long> attempts = new ArrayList<>();
        stats.observeAttempts(attempts::add);

        stats.attempted(1_500_000);

        assertThat(attempts).containsExactly(1_500_000L);
        assertThat(stats.snapshot().delivered()).as("an attempt is not a delivery").isZero();
    }
}
