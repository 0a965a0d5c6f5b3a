package io.autoglm.fleet.events.inference;

import io.autoglm.fleet.events.agent.AgentTurn;
import io.autoglm.fleet.events.agent.ScreenshotRef;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One step of a phone agent for a vision-language model: the task's instruction, the earlier turns
 * (text only), the newest screenshot by reference, the app in front, and the prompt's language.
 *
 * @param sessionId the agent task; a model's canary split keeps a task's steps on one version by it
 * @param language  {@code zh} or {@code en}: which system prompt the model gets
 */
public record AgentStep(String sessionId, String instruction, List<AgentTurn> history, ScreenshotRef screenshot, String currentApp,
        String language) {

    /** The languages there are prompts for. */
    public static final Set<String> LANGUAGES = Set.of("zh", "en");

    public AgentStep {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(instruction, "instruction");
        history = history == null ? List.of() : List.copyOf(history);
        Objects.requireNonNull(screenshot, "screenshot");
        currentApp = currentApp == null ? "" : currentApp;
        language = language == null ? "zh" : language;
        if (!LANGUAGES.contains(language)) {
            throw new IllegalArgumentException("language must be zh or en, got " + language);
        }
    }
}
