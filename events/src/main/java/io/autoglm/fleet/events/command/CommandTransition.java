package io.autoglm.fleet.events.command;

import java.time.Instant;
import java.util.Objects;

/**
 * One step of a command's history: the state it moved to (or stayed in, for a late result that was recorded but not
 * applied), when, what moved it (an event type, a reason), and the id of the event that did, so that a redelivered copy
 * of that event is recognised and changes nothing.
 */
public record CommandTransition(CommandState state, Instant at, String detail, String eventId) {
    public CommandTransition {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(at, "at");
    }

    /** A step whose cause is not an event of its own. */
    public CommandTransition(CommandState state, Instant at, String detail) {
        this(state, at, detail, null);
    }
}
