package io.autoglm.fleet.events.task;

import java.time.Instant;
import java.util.Objects;

/** Payload of {@code io.autoglm.task.completed}: the model said {@code finish}; {@code message} is its word on how it went. */
public record TaskCompleted(String taskId, String deviceId, String message, int steps, Instant at) {

    public TaskCompleted {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(at, "at");
    }
}
