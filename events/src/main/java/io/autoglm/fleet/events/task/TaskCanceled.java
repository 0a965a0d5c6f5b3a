package io.autoglm.fleet.events.task;

import java.time.Instant;
import java.util.Objects;

/** Payload of {@code io.autoglm.task.canceled}: the task stopped on request and its device is free again. */
public record TaskCanceled(String taskId, String deviceId, String reason, int steps, Instant at) {

    public TaskCanceled {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
    }
}
