package io.autoglm.fleet.events.task;

import java.util.Objects;

/** Payload of {@code io.autoglm.task.step.completed}: one step of a task ended, failed steps included. */
public record TaskStepCompleted(String taskId, StepSummary step) {

    public TaskStepCompleted {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(step, "step");
    }
}
