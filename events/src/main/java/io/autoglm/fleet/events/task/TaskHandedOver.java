package io.autoglm.fleet.events.task;

import java.time.Instant;
import java.util.Objects;

/**
 * Payload of {@code io.autoglm.task.handed.over}: the task's device was lost (it went OFFLINE, its commands expired or
 * timed out, it could not be observed) and another qualifying device carries on, with the task's history; the interrupted
 * step is taken again there. {@code handOvers} counts them, this one included.
 */
public record TaskHandedOver(String taskId, String fromDeviceId, String toDeviceId, String reason, int handOvers, Instant at) {

    public TaskHandedOver {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(fromDeviceId, "fromDeviceId");
        Objects.requireNonNull(toDeviceId, "toDeviceId");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
    }
}
