package io.autoglm.fleet.deviceagent.backend;

import java.util.Objects;

/**
 * What an executed action reports back: a line of text saying what was done, and for {@code Observe}
 * the screen it saw ({@code screen} is null for every other action).
 */
public record ActionOutcome(String output, Screen screen) {

    public ActionOutcome {
        Objects.requireNonNull(output, "output");
    }

    public static ActionOutcome done(String output) {
        return new ActionOutcome(output, null);
    }
}
