package io.autoglm.fleet.simulator.agent;

import io.autoglm.fleet.events.agent.StepAction;

import java.util.Objects;

/** One step the simulated model decides on: what it thinks (the {@code <think>} of its reply) and the action. */
public record Move(String thinking, StepAction action) {

    public Move {
        Objects.requireNonNull(thinking, "thinking");
        Objects.requireNonNull(action, "action");
    }
}
