package io.autoglm.fleet.events.task;

import io.autoglm.fleet.events.agent.ScreenshotRef;
import io.autoglm.fleet.events.agent.StepAction;
import io.autoglm.fleet.events.command.CommandState;

import java.time.Instant;
import java.util.Objects;

/**
 * One finished step of a task, as its timeline shows it and {@code task.step.completed} announces it: what the device
 * showed (the screenshot's claim check and the app in front), what the model thought and chose, the command that carried
 * the action out and how it ended, and the step's timings. A failed step (the model's reply unparseable, the model
 * failing) has no action: {@code unparseable} or {@code detail} says why and {@code raw} keeps the model's text.
 *
 * @param number    1 for the task's first step; a step interrupted by a hand-over is taken again under the same number
 * @param commandId the command that carried the action out; null when the action needs no device (finish, Wait, Note, ...)
 * @param outcome   how that command ended; null without a command
 * @param detail    the command's output or failure, or what happened instead (waited, confirmed by, taken over by)
 */
public record StepSummary(
        int number,
        String stepId,
        String deviceId,
        ScreenshotRef screenshot,
        String currentApp,
        String thinking,
        StepAction action,
        String unparseable,
        String raw,
        String commandId,
        CommandState outcome,
        String detail,
        StepTimings timings,
        Instant startedAt,
        Instant endedAt) {

    public StepSummary {
        Objects.requireNonNull(stepId, "stepId");
        Objects.requireNonNull(timings, "timings");
        if (number < 1) {
            throw new IllegalArgumentException("steps are numbered from 1, got " + number);
        }
    }
}
