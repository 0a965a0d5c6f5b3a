package io.autoglm.fleet.events.agent;

import java.util.Objects;

/**
 * A model reply read by {@link ActionGrammar}: the raw text, the model's thinking, the answer as
 * written, and the action it names.
 */
public record AgentReply(String raw, String thinking, String answer, StepAction action) {

    public AgentReply {
        Objects.requireNonNull(raw, "raw");
        thinking = thinking == null ? "" : thinking;
        Objects.requireNonNull(answer, "answer");
        Objects.requireNonNull(action, "action");
    }
}
