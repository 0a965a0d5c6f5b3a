package io.autoglm.fleet.simulator;

import io.autoglm.fleet.events.device.LivenessStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StatusBoardTest {

    @Test
    void theLiveStatusShowsDevicesPerTenantRatesDecisionsLatencyAndDeadLetters() throws Exception {
        FleetStatus status = new FleetStatus();
        FleetStatus.Snapshot before = status.snapshot();
        status.registered("acme", "d1");
        status.registered("acme", "d2");
        status.registered("globex", "g1");
        status.status("acme", "d1", LivenessStatus.ONLINE);
        status.status("acme", "d2", LivenessStatus.OFFLINE);
        status.status("globex", "g1", LivenessStatus.SUSPECT);
        status.sent(10);
        status.accepted(10);
        status.decision("command dispatched");
        status.decision("command dispatched");
        status.decision("inference to cloud");
        status.inferenceSent("i1", 1_000);
        status.inferenceDone("i1", 1_250);
        status.inferenceSent("i2", 1_100);
        status.deadLetter("HTTP 422 (not retried)");
        Thread.sleep(20);

        List<String> lines = StatusBoard.live(Duration.ofSeconds(75), status.snapshot(), before);

        assertThat(String.join("\n", lines))
                .contains("t+01:15")
                .contains("acme: 1 ONLINE 0 SUSPECT 1 OFFLINE (2 registered)")
                .contains("globex: 0 ONLINE 1 SUSPECT 0 OFFLINE (1 registered)")
                .contains("10 events accepted")
                .contains("2 command dispatched, 1 inference to cloud")
                .contains("1 answered, p50 250 ms")
                .contains("(1 waiting)")
                .contains("dead letters: 1");
        assertThat(String.join("\n", StatusBoard.summary(Duration.ofSeconds(75), status.snapshot(), List.of("router"))))
                .contains("Fleet simulation summary (01:15)")
                .contains("1  HTTP 422 (not retried)")
                .contains("missing         router");
    }

    @Test
    void anInferenceAnswerCountsUntilItWasOnTheBusNotUntilTheObserverReadIt() {
        FleetStatus status = new FleetStatus();
        status.inferenceSent("i1", 10_000);

        // read seconds later (heartbeats queued ahead of it in the observer), but published 180 ms after the request
        status.inferenceDone("i1", 10_180);

        assertThat(status.snapshot().inference().p50()).isEqualTo(180);
        assertThat(status.snapshot().inferencePending()).isZero();
    }

    @Test
    void percentilesUseTheNearestRank() {
        double[] values = new double[100];
        for (int i = 0; i < 100; i++) {
            values[i] = i + 1;
        }
        Percentiles percentiles = Percentiles.of(values);
        assertThat(percentiles.count()).isEqualTo(100);
        assertThat(percentiles.p50()).isEqualTo(50);
        assertThat(percentiles.p99()).isEqualTo(99);
        assertThat(Percentiles.of(new double[0]).count()).isZero();
    }
}
