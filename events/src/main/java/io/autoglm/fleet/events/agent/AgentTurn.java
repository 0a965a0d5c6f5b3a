package io.autoglm.fleet.events.agent;

import java.util.Objects;

/**
 * An earlier step of an agent task as the model saw it, without its screenshot: the app that was in
 * front, and the model's reply ({@code <think>...</think><answer>...</answer>}).
 */
public record AgentTurn(String currentApp, String reply) {

    public AgentTurn {
        currentApp = currentApp == null ? "" : currentApp;
        Objects.requireNonNull(reply, "reply");
    }
}
