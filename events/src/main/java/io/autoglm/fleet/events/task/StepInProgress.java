package io.autoglm.fleet.events.task;

import io.autoglm.fleet.events.agent.ScreenshotRef;
import io.autoglm.fleet.events.agent.StepAction;

import java.time.Instant;
import java.util.Objects;

/**
 * The step a task is in the middle of, as far as it got: what was observed, what the model chose, and the time counted so
 * far. It becomes a {@link StepSummary} when the step ends; a hand-over drops it (the step is taken again on the next
 * device).
 *
 * @param pausedAt when the step began to wait on purpose (a {@code Wait}, a person); null while it does not
 */
public record StepInProgress(
        int number,
        String stepId,
        Instant startedAt,
        ScreenshotRef screenshot,
        String currentApp,
        String thinking,
        StepAction action,
        long modelMs,
        long deviceMs,
        long waitedMs,
        Instant pausedAt) {

    public StepInProgress {
        Objects.requireNonNull(stepId, "stepId");
        Objects.requireNonNull(startedAt, "startedAt");
    }

    /** A step just begun. */
    public static StepInProgress begun(int number, String stepId, Instant at) {
        return new StepInProgress(number, stepId, at, null, null, null, null, 0, 0, 0, null);
    }

    public StepInProgress observed(ScreenshotRef shot, String app, long deviceMsMore) {
        return new StepInProgress(number, stepId, startedAt, shot, app, thinking, action, modelMs, deviceMs + deviceMsMore, waitedMs, pausedAt);
    }

    public StepInProgress decided(String thought, StepAction chosen, long modelMsMore) {
        return new StepInProgress(number, stepId, startedAt, screenshot, currentApp, thought, chosen, modelMs + modelMsMore, deviceMs, waitedMs,
                pausedAt);
    }

    public StepInProgress acted(long deviceMsMore) {
        return new StepInProgress(number, stepId, startedAt, screenshot, currentApp, thinking, action, modelMs, deviceMs + deviceMsMore, waitedMs,
                pausedAt);
    }

    public StepInProgress paused(Instant at) {
        return new StepInProgress(number, stepId, startedAt, screenshot, currentApp, thinking, action, modelMs, deviceMs, waitedMs, at);
    }

    /** The pause is over at {@code at}: its length counts as waited. */
    public StepInProgress resumed(Instant at) {
        long waited = pausedAt == null ? 0 : Math.max(0, at.toEpochMilli() - pausedAt.toEpochMilli());
        return new StepInProgress(number, stepId, startedAt, screenshot, currentApp, thinking, action, modelMs, deviceMs, waitedMs + waited, null);
    }
}
