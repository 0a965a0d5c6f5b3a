package io.autoglm.fleet.deviceagent.backend;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a backend lets the screen settle after each action, and inside the multi-step ones (a double
 * tap's two taps, the keyboard switch around {@code Type}). {@link #OPEN_AUTOGLM} are Open-AutoGLM's
 * defaults ({@code phone_agent/config/timing.py}); {@link #NONE} is for tests.
 */
public record ActionPacing(
        Duration afterTap,
        Duration afterDoubleTap,
        Duration doubleTapInterval,
        Duration afterLongPress,
        Duration afterSwipe,
        Duration afterBack,
        Duration afterHome,
        Duration afterLaunch,
        Duration keyboardSwitch,
        Duration textClear,
        Duration textInput,
        Duration keyboardRestore) {

    private static final Duration SECOND = Duration.ofSeconds(1);

    public static final ActionPacing OPEN_AUTOGLM = new ActionPacing(SECOND, SECOND, Duration.ofMillis(100), SECOND, SECOND,
            SECOND, SECOND, SECOND, SECOND, SECOND, SECOND, SECOND);

    public static final ActionPacing NONE = new ActionPacing(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO,
            Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);

    public ActionPacing {
        Objects.requireNonNull(afterTap, "afterTap");
        Objects.requireNonNull(afterDoubleTap, "afterDoubleTap");
        Objects.requireNonNull(doubleTapInterval, "doubleTapInterval");
        Objects.requireNonNull(afterLongPress, "afterLongPress");
        Objects.requireNonNull(afterSwipe, "afterSwipe");
        Objects.requireNonNull(afterBack, "afterBack");
        Objects.requireNonNull(afterHome, "afterHome");
        Objects.requireNonNull(afterLaunch, "afterLaunch");
        Objects.requireNonNull(keyboardSwitch, "keyboardSwitch");
        Objects.requireNonNull(textClear, "textClear");
        Objects.requireNonNull(textInput, "textInput");
        Objects.requireNonNull(keyboardRestore, "keyboardRestore");
    }
}
