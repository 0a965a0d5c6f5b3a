package io.autoglm.fleet.local;

import java.time.Duration;
import java.util.Objects;

/**
 * When a child of the local stack that died is started again: after {@code initial}, doubling with each
 * quick death in a row (one within {@code quick} of its start) up to {@code max}; after more than
 * {@code quickDeathsAllowed} quick deaths in a row it is not started again, since it would only die again
 * (a bad build, a port taken, a broken setting). A death after a longer run starts the count afresh.
 * Pure: the caller says how long the process had run.
 */
final class RestartBackoff {

    /** One second, doubling to at most 30 s; five quick deaths (within 30 s of a start) in a row are the last. */
    static final Duration INITIAL = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofSeconds(30);
    static final Duration QUICK = Duration.ofSeconds(30);
    static final int QUICK_DEATHS_ALLOWED = 5;

    /** What to do about one death. */
    sealed interface Decision permits Restart, GiveUp {
    }

    /** Start it again after {@code delay}; {@code restart} counts the restarts of this child so far, this one included. */
    record Restart(Duration delay, int restart) implements Decision {
    }

    /** Do not start it again, for {@code reason} (a sentence). */
    record GiveUp(String reason) implements Decision {
    }

    private final Duration initial;
    private final Duration max;
    private final Duration quick;
    private final int quickDeathsAllowed;
    private int quickDeathsInARow;
    private int restarts;

    RestartBackoff(Duration initial, Duration max, Duration quick, int quickDeathsAllowed) {
        this.initial = Objects.requireNonNull(initial, "initial");
        this.max = Objects.requireNonNull(max, "max");
        this.quick = Objects.requireNonNull(quick, "quick");
        if (initial.isNegative() || max.compareTo(initial) < 0 || quickDeathsAllowed < 0) {
            throw new IllegalArgumentException("need 0 <= initial <= max and quickDeathsAllowed >= 0, got " + initial + ", " + max + ", "
                    + quickDeathsAllowed);
        }
        this.quickDeathsAllowed = quickDeathsAllowed;
    }

    static RestartBackoff standard() {
        return new RestartBackoff(INITIAL, MAX, QUICK, QUICK_DEATHS_ALLOWED);
    }

    /** The process died after running for {@code uptime}. */
    Decision died(Duration uptime) {
        if (uptime.compareTo(quick) < 0) {
            quickDeathsInARow++;
        } else {
            quickDeathsInARow = 0;
        }
        if (quickDeathsInARow > quickDeathsAllowed) {
            return new GiveUp("it died " + quickDeathsInARow + " times in a row within " + seconds(quick) + " of starting");
        }
        Duration delay = initial;
        for (int i = 1; i < quickDeathsInARow && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return new Restart(delay.compareTo(max) > 0 ? max : delay, ++restarts);
    }

    static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
