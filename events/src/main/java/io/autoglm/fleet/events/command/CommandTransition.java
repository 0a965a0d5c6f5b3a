package io.autoglm.fleet.events.command;

import java.time.Instant;
import java.util.Objects;

/** One step of a command's history: the state it moved to, when, and what moved it (an event type, a reason). */
public record CommandTransition(CommandState state, Instant at, String detail) {
    public CommandTransition {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(at, "at");
    }
}
