package io.autoglm.fleet.events.task;

import java.time.Instant;
import java.util.Objects;

/**
 * Payload of {@code io.autoglm.task.timer}: a Pulsar delayed message the agent function sends itself, back at {@code due}
 * (as {@code command.deadline} is for commands). No process keeps a timer; a timer that comes back when the task has moved
 * past what it guards does nothing.
 *
 * @param ref    what it guards: the placement, command or inference request a STEP_TIMEOUT bounds, the WAIT or the
 *               question to a person of a step ({@link TaskRefs}), the task id for TASK_DEADLINE
 * @param stepId the step it belongs to; null for the task's deadline and a placement
 */
public record TaskTimer(String taskId, TimerKind kind, String ref, String stepId, Instant due) {

    public TaskTimer {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(due, "due");
    }
}
