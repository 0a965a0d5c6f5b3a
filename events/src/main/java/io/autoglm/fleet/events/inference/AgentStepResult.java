package io.autoglm.fleet.events.inference;

import io.autoglm.fleet.events.agent.StepAction;

import java.util.Objects;

/**
 * What the model answered to an {@link AgentStep}: its raw text, the thinking and answer read from it,
 * and either the action ({@code finish} included) or, when the reply is not one action of the grammar,
 * {@code unparseable} saying what was wrong; timings and token counts as the backend reported them.
 *
 * @param firstTokenMs from sending the request to the first streamed token
 * @param totalMs      from sending the request to the reply's end
 */
public record AgentStepResult(String raw, String thinking, String answer, StepAction action, String unparseable,
        double firstTokenMs, double totalMs, int promptTokens, int completionTokens) {

    public AgentStepResult {
        Objects.requireNonNull(raw, "raw");
        thinking = thinking == null ? "" : thinking;
        answer = answer == null ? "" : answer;
        if ((action == null) == (unparseable == null)) {
            throw new IllegalArgumentException("an agent step's result has an action or says why it has none, not both or neither");
        }
    }
}
