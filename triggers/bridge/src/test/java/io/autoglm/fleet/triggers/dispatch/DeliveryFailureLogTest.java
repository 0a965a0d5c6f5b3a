package io.autoglm.fleet.triggers.dispatch;

import io.autoglm.fleet.events.testing.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryFailureLogTest {

    private static final String REFUSED = "deliveries to http://127.0.0.1:8082 failed: cannot connect";

    /** A logger that keeps its lines (and any throwable, which there must not be). */
    private static final class Lines implements System.Logger {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final List<Throwable> thrown = new CopyOnWriteArrayList<>();

        @Override
        public String getName() {
            return "test";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
            lines.add(message);
            this.thrown.add(thrown);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(params == null || params.length == 0 ? format : java.text.MessageFormat.format(format, params));
        }
    }

    private final Lines logger = new Lines();
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T10:00:00Z"));
    private final DeliveryFailureLog log = new DeliveryFailureLog(logger, "Trigger fleet/heartbeat", clock, Duration.ofSeconds(5));

    @Test
    void theFirstFailureOfAKindIsOneLineAndTheRepeatsAreCountedIntoOneSummaryPerInterval() {
        for (int i = 1; i <= 1000; i++) {
            int event = i;
            log.failed(REFUSED, () -> "event d1-" + event + " to the dead letters: cannot connect: Connection refused");
            clock.advance(Duration.ofMillis(4));
        }
        // 1000 failures over 4 s: one line
        assertThat(logger.lines).containsExactly("Trigger fleet/heartbeat: event d1-1 to the dead letters: cannot connect: Connection refused");

        clock.advance(Duration.ofSeconds(1));
        log.summariseIfDue();
        log.summariseIfDue();
        assertThat(logger.lines).hasSize(2).last().isEqualTo("Trigger fleet/heartbeat: 999 more " + REFUSED);

        log.failed(REFUSED, () -> "not written: counted");
        clock.advance(Duration.ofSeconds(5));
        log.failed(REFUSED, () -> "not written: counted");
        assertThat(logger.lines).as("the next interval's summary comes with its first failure after the interval")
                .hasSize(3).last().isEqualTo("Trigger fleet/heartbeat: 1 more " + REFUSED);
        assertThat(logger.thrown).allSatisfy(thrown -> assertThat(thrown).isNull());
    }

    @Test
    void kindsAreCountedApartAndAQuietKindIsWrittenInFullAgain() {
        log.failed(REFUSED, () -> "refused 1");
        log.failed("deliveries to http://127.0.0.1:8082 failed: HTTP 500", () -> "http 500 1");
        log.failed(REFUSED, () -> "refused 2");
        clock.advance(Duration.ofSeconds(5));
        log.summariseIfDue();
        assertThat(logger.lines).containsExactly("Trigger fleet/heartbeat: refused 1", "Trigger fleet/heartbeat: http 500 1",
                "Trigger fleet/heartbeat: 1 more " + REFUSED);

        clock.advance(Duration.ofSeconds(5));
        log.summariseIfDue(); // a quiet interval: nothing to say, and both kinds are forgotten
        log.failed(REFUSED, () -> "refused 3");
        assertThat(logger.lines).hasSize(4).last().isEqualTo("Trigger fleet/heartbeat: refused 3");
    }
}
