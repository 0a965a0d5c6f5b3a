package io.autoglm.fleet.events.task;

import java.util.Objects;

/** Payload of {@code io.autoglm.task.cancel.requested} (an event, or {@code POST /tasks/{id}/cancel}): someone wants the task stopped. */
public record TaskCancelRequested(String taskId, String reason, String by) {

    public TaskCancelRequested {
        Objects.requireNonNull(taskId, "taskId");
    }
}
