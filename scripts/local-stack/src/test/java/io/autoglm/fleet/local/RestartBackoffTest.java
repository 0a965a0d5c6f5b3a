package io.autoglm.fleet.local;

import io.autoglm.fleet.local.RestartBackoff.GiveUp;
import io.autoglm.fleet.local.RestartBackoff.Restart;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RestartBackoffTest {

    private static final Duration QUICKLY = Duration.ofSeconds(2);
    private static final Duration AFTER_A_WHILE = Duration.ofMinutes(5);

    @Test
    void quickDeathsInARowDoubleTheDelayUpToTheCapThenItGivesUp() {
        RestartBackoff backoff = new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30), 5);

        assertThat(backoff.died(QUICKLY)).isEqualTo(new Restart(Duration.ofSeconds(1), 1));
        assertThat(backoff.died(QUICKLY)).isEqualTo(new Restart(Duration.ofSeconds(2), 2));
        assertThat(backoff.died(QUICKLY)).isEqualTo(new Restart(Duration.ofSeconds(4), 3));
        assertThat(backoff.died(QUICKLY)).isEqualTo(new Restart(Duration.ofSeconds(5), 4));
        assertThat(backoff.died(QUICKLY)).isEqualTo(new Restart(Duration.ofSeconds(5), 5));

        RestartBackoff.Decision last = backoff.died(QUICKLY);
        assertThat(last).isInstanceOf(GiveUp.class);
        assertThat(((GiveUp) last).reason()).isEqualTo("it died 6 times in a row within 30 s of starting");
    }

    @Test
    void aDeathAfterALongerRunStartsTheCountAfresh() {
        RestartBackoff backoff = new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(30), 2);
        backoff.died(QUICKLY);
        backoff.died(QUICKLY);

        assertThat(backoff.died(AFTER_A_WHILE)).isEqualTo(new Restart(Duration.ofSeconds(1), 3));
        assertThat(backoff.died(QUICKLY)).isEqualTo(new Restart(Duration.ofSeconds(1), 4));
        assertThat(backoff.died(QUICKLY)).isEqualTo(new Restart(Duration.ofSeconds(2), 5));
        assertThat(backoff.died(QUICKLY)).isInstanceOf(GiveUp.class);
    }

    @Test
    void aProcessThatDiesOnlyAfterLongRunsIsAlwaysStartedAgainAfterTheFirstDelay() {
        RestartBackoff backoff = RestartBackoff.standard();
        for (int restart = 1; restart <= 20; restart++) {
            assertThat(backoff.died(AFTER_A_WHILE)).isEqualTo(new Restart(RestartBackoff.INITIAL, restart));
        }
    }

    @Test
    void theStandardBackoffIsOneSecondDoublingToThirtyWithFiveQuickRestarts() {
        RestartBackoff backoff = RestartBackoff.standard();
        assertThat(backoff.died(Duration.ZERO)).isEqualTo(new Restart(Duration.ofSeconds(1), 1));
        backoff.died(Duration.ZERO);
        backoff.died(Duration.ZERO);
        backoff.died(Duration.ZERO);
        assertThat(backoff.died(Duration.ZERO)).isEqualTo(new Restart(Duration.ofSeconds(16), 5));
        assertThat(backoff.died(Duration.ZERO)).isInstanceOf(GiveUp.class);
    }

    @Test
    void settingsThatCannotWorkAreRefused() {
        assertThatThrownBy(() -> new RestartBackoff(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(30), 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initial <= max");
    }
}
