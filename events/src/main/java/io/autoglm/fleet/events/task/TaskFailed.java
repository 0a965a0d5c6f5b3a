package io.autoglm.fleet.events.task;

import java.time.Instant;
import java.util.Objects;

/**
 * Payload of {@code io.autoglm.task.failed}: why the task could not be carried out, in a reason a person can act on and a
 * detail saying the particulars; {@code raw} is the model's text when its reply was the trouble.
 */
public record TaskFailed(String taskId, String deviceId, TaskFailureReason reason, String detail, String raw, int steps, Instant at) {

    public TaskFailed {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(at, "at");
    }
}
