package io.autoglm.fleet.events.task;

import io.autoglm.fleet.events.agent.ScreenshotRef;
import io.autoglm.fleet.events.agent.StepAction;

import java.time.Instant;
import java.util.Objects;

/**
 * Payload of {@code io.autoglm.task.confirmation.requested} (a sensitive tap waits for a person's yes or no) and
 * {@code io.autoglm.task.takeover.requested} (a person must act on the device, a login say, and then say done): which
 * step waits, on which device, for what ({@code message}, the model's words), the screen it saw, and until when: with no
 * answer by {@code due} the task fails saying so.
 *
 * @param action the action that waits (the sensitive {@code Tap}, the {@code Take_over}); null when the screen could not be
 *               captured and a person must step in
 */
public record TaskPaused(String taskId, String stepId, int step, String deviceId, StepAction action, String message,
        ScreenshotRef screenshot, Instant due) {

    public TaskPaused {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(stepId, "stepId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(due, "due");
    }
}
