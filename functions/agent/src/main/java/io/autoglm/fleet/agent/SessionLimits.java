package io.autoglm.fleet.agent;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounds a task's session runs within; the agent function's settings fill them in.
 *
 * @param commandTtl          how long a step's command may wait to be delivered ({@code command.dispatched}'s expiresAt)
 * @param commandTimeout      how long the device may take over it once accepted
 * @param deviceStepTimeout   how long a step waits for its command's outcome before the device counts as lost; longer than
 *                            TTL + timeout, so the commands function's EXPIRED / TIMED_OUT normally says it first
 * @param modelTimeout        how long a step waits for the model's reply before it counts as a failed inference
 * @param placementTimeout    how long a placement may go unanswered before the task fails (STEP_TIMEOUT)
 * @param confirmationTimeout how long a sensitive action waits for a person's yes or no
 * @param takeoverTimeout     how long a take-over may take (STF's 900 s group release is the anchor)
 * @param timeLimit           a task's deadline when its request names none, from when it was asked for
 * @param maxHandOvers        how many lost devices a task survives
 * @param modelRetries        how many failed inferences in a row (backend unavailable, over capacity, timed out) a task
 *                            takes again before it fails
 * @param defaultModel        the agent model of a request that names none
 */
public record SessionLimits(
        Duration commandTtl,
        Duration commandTimeout,
        Duration deviceStepTimeout,
        Duration modelTimeout,
        Duration placementTimeout,
        Duration confirmationTimeout,
        Duration takeoverTimeout,
        Duration timeLimit,
        int maxHandOvers,
        int modelRetries,
        String defaultModel) {

    public SessionLimits {
        positive(commandTtl, "commandTtl");
        positive(commandTimeout, "commandTimeout");
        positive(deviceStepTimeout, "deviceStepTimeout");
        positive(modelTimeout, "modelTimeout");
        positive(placementTimeout, "placementTimeout");
        positive(confirmationTimeout, "confirmationTimeout");
        positive(takeoverTimeout, "takeoverTimeout");
        positive(timeLimit, "timeLimit");
        if (maxHandOvers < 0 || modelRetries < 0) {
            throw new IllegalArgumentException("maxHandOvers and modelRetries cannot be negative");
        }
        Objects.requireNonNull(defaultModel, "defaultModel");
    }

    /** 30 s TTL, 60 s execution, 2 min per device or model phase, 30 s to place, 5 min to confirm, 15 min to take over, 30 min a task, 3 hand-overs, 1 model retry. */
    public static SessionLimits defaults() {
        return new SessionLimits(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofMinutes(2), Duration.ofMinutes(2),
                Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(30), 3, 1, "autoglm-phone-9b@stable");
    }

    private static void positive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + duration);
        }
    }
}
