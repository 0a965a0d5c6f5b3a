package io.autoglm.fleet.events.task;

import java.time.Instant;
import java.util.Objects;

/** Payload of {@code io.autoglm.task.assigned}: the device a task runs on (reserved for it) and why it was chosen. */
public record TaskAssigned(String taskId, String deviceId, String reason, Instant at) {

    public TaskAssigned {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(at, "at");
    }
}
