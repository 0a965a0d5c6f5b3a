package io.autoglm.fleet.events.task;

import java.util.Objects;

/**
 * Payload of a person's answer to a paused step: {@code io.autoglm.task.confirmation.given}, {@code
 * task.confirmation.refused} and {@code task.takeover.done}, sent as an event or through {@code POST
 * /tasks/{id}/confirmation}. {@code stepId} names the step asked about, so an answer to an older question is not taken
 * for the current one.
 *
 * @param by      who answered (a user name or id), for the timeline
 * @param comment what they said, if anything
 */
public record TaskAnswer(String taskId, String stepId, String by, String comment) {

    public TaskAnswer {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(stepId, "stepId");
    }
}
