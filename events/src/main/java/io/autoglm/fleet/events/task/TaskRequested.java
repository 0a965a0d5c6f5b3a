package io.autoglm.fleet.events.task;

import io.autoglm.fleet.events.command.Requirements;
import io.autoglm.fleet.events.command.RoutingStrategy;
import io.autoglm.fleet.events.inference.AgentStep;

import java.time.Instant;
import java.util.Objects;

/**
 * Payload of {@code io.autoglm.task.requested}: an AutoGLM task for the fleet, an instruction (in any language) a phone
 * agent carries out step by step. The tenant is the event's {@code tenant} extension. With {@code deviceId} set the task
 * runs on that device only (and fails if it is lost); otherwise a device meeting {@code requirements} is picked by
 * {@code strategy}, and another one takes over if it is lost.
 *
 * @param model              the agent model, as {@code InferenceRequested} names models ({@code name}, {@code name@version},
 *                           {@code name@alias}); null: the agent function's default
 * @param maxSteps           how many steps the task may take before it fails ({@value #DEFAULT_MAX_STEPS} when absent, as
 *                           Open-AutoGLM)
 * @param deadline           when the task must have ended; null: the agent function's default time limit from the request
 * @param confirmSensitive   whether a person confirms sensitive taps and acts on {@code Take_over}; false runs unattended
 * @param language           the agent prompt's language, {@code zh} or {@code en} ({@code zh} when absent)
 */
public record TaskRequested(
        String taskId,
        String instruction,
        String deviceId,
        Requirements requirements,
        RoutingStrategy strategy,
        String model,
        Integer maxSteps,
        Instant deadline,
        boolean confirmSensitive,
        String language) {

    public static final int DEFAULT_MAX_STEPS = 100;
    /** The most steps a task may ask for. */
    public static final int MAX_STEPS = 1000;

    public TaskRequested {
        Objects.requireNonNull(taskId, "taskId");
        if (instruction == null || instruction.isBlank()) {
            throw new IllegalArgumentException("a task needs an instruction");
        }
        requirements = requirements == null ? Requirements.ANY : requirements;
        strategy = strategy == null ? RoutingStrategy.LOAD_BALANCE : strategy;
        maxSteps = maxSteps == null ? DEFAULT_MAX_STEPS : maxSteps;
        if (maxSteps < 1 || maxSteps > MAX_STEPS) {
            throw new IllegalArgumentException("maxSteps must be 1 to " + MAX_STEPS + ", got " + maxSteps);
        }
        language = language == null ? "zh" : language;
        if (!AgentStep.LANGUAGES.contains(language)) {
            throw new IllegalArgumentException("language must be zh or en, got " + language);
        }
    }
}
