package io.autoglm.fleet.commands;

import io.autoglm.fleet.events.command.CommandDeadline;
import io.autoglm.fleet.events.command.CommandRecord;
import io.autoglm.fleet.state.Reply;

import java.util.List;
import java.util.Objects;

/**
 * What one input does to one command: the record to write (null when it stays as it is), the deadlines to schedule first
 * (each a delayed message due at its {@code due}), and the reply to the input's sender, if any (the service's outcome of a
 * cancel request or a deadline). Scheduling before writing keeps at-least-once: a crash in between is redelivered and
 * decided again.
 */
public record Step(CommandRecord record, List<CommandDeadline> deadlines, Reply reply, Verdict verdict) {
    public Step {
        Objects.requireNonNull(verdict, "verdict");
        deadlines = List.copyOf(deadlines);
    }

    static Step unchanged(Reply reply) {
        return new Step(null, List.of(), reply, Verdict.UNCHANGED);
    }

    /** Whether the record is written. */
    public boolean changed() {
        return record != null;
    }
}
