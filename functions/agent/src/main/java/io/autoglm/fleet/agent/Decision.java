package io.autoglm.fleet.agent;

import io.autoglm.fleet.events.task.TaskRecord;

import java.util.List;
import java.util.Objects;

/**
 * What one input does to one task: the record to write (null only for a task the table does not have), the effects to carry
 * out first, in order, and a note saying what happened (for logs and for what an ignored input was). Effects before the
 * write keeps at-least-once: after a crash in between the input comes again, is decided again from the same record, and
 * gives the same ids.
 */
public record Decision(TaskRecord record, List<TaskEffect> effects, Verdict verdict, String note) {

    public Decision {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(note, "note");
        effects = List.copyOf(effects);
    }

    /** The effects of one kind, in order. */
    public <T extends TaskEffect> List<T> effects(Class<T> kind) {
        return effects.stream().filter(kind::isInstance).map(kind::cast).toList();
    }
}
