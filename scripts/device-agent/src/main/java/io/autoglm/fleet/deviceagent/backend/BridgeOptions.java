package io.autoglm.fleet.deviceagent.backend;

import java.time.Duration;
import java.util.Objects;

/**
 * How a backend reaches its device: the bridge executable ({@code adb}, {@code hdc}, or a path to one),
 * the device's serial, the runner, how long one tool call may take, and the pacing between actions.
 */
public record BridgeOptions(String executable, String serial, CommandRunner runner, Duration timeout,
                            ActionPacing pacing, Sleeper sleeper) {

    public BridgeOptions {
        Objects.requireNonNull(executable, "executable");
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(runner, "runner");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(pacing, "pacing");
        Objects.requireNonNull(sleeper, "sleeper");
        if (serial.isBlank()) {
            throw new IllegalArgumentException("a device serial is needed (see 'adb devices' / 'hdc list targets')");
        }
    }

    /** Open-AutoGLM's pacing, real sleeps, 10 s per tool call (its screenshot timeout). */
    public static BridgeOptions defaults(String executable, String serial) {
        return new BridgeOptions(executable, serial, new CommandRunner(), Duration.ofSeconds(10), ActionPacing.OPEN_AUTOGLM, Sleeper.REAL);
    }

    public BridgeOptions withRunner(CommandRunner runner) {
        return new BridgeOptions(executable, serial, runner, timeout, pacing, sleeper);
    }

    public BridgeOptions withPacing(ActionPacing pacing, Sleeper sleeper) {
        return new BridgeOptions(executable, serial, runner, timeout, pacing, sleeper);
    }
}
