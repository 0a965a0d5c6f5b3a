package io.autoglm.fleet.simulator.agent;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * What the simulated model takes from an OpenAI chat-completions request, built as Open-AutoGLM (and the
 * fleet's inference function) builds it: the task's instruction (the first user turn's text, before
 * its {@code {"current_app": ...}} screen info), the model's earlier replies (the assistant turns), the
 * newest screenshot (the last {@code image_url}: a data URL or a link), every text for the token count,
 * and whether to stream.
 */
record ChatTurns(String model, String instruction, List<String> earlierReplies, String imageUrl, List<String> texts, boolean stream,
        boolean includeUsage) {

    private static final String SCREEN_INFO = "\n\n{\"current_app\"";
    private static final String LATER_TURN = "** Screen Info **";

    /** Reads the request; {@code IllegalArgumentException} says what is missing, as a 400 would. */
    static ChatTurns read(JsonNode body) {
        JsonNode model = body.path("model");
        if (!model.isTextual()) {
            throw new IllegalArgumentException("'model' is required");
        }
        JsonNode messages = body.path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            throw new IllegalArgumentException("'messages' must be a non-empty array");
        }
        String instruction = null;
        String imageUrl = null;
        List<String> replies = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (JsonNode message : messages) {
            String role = message.path("role").asText();
            JsonNode content = message.path("content");
            List<String> said = new ArrayList<>();
            if (content.isTextual()) {
                said.add(content.asText());
            } else if (content.isArray()) {
                for (JsonNode part : content) {
                    switch (part.path("type").asText()) {
                        case "text" -> said.add(part.path("text").asText());
                        case "image_url" -> {
                            JsonNode url = part.path("image_url");
                            String link = url.isTextual() ? url.asText() : url.path("url").asText(null);
                            if (role.equals("user") && link != null) {
                                imageUrl = link;
                            }
                        }
                        default -> {
                            // audio, files: not for a phone agent
                        }
                    }
                }
            }
            texts.addAll(said);
            if (role.equals("assistant")) {
                replies.add(String.join("", said));
            } else if (role.equals("user") && instruction == null && !said.isEmpty()) {
                instruction = instruction(String.join("\n", said));
            }
        }
        if (instruction == null || instruction.isBlank()) {
            throw new IllegalArgumentException("no instruction: the first user message must carry the task's text");
        }
        if (imageUrl == null) {
            throw new IllegalArgumentException("no screenshot: a user message must carry an image_url");
        }
        return new ChatTurns(model.asText(), instruction, List.copyOf(replies), imageUrl, List.copyOf(texts), body.path("stream").asBoolean(false),
                body.path("stream_options").path("include_usage").asBoolean(false));
    }

    private static String instruction(String text) {
        if (text.startsWith(LATER_TURN)) {
            return null;
        }
        int info = text.lastIndexOf(SCREEN_INFO);
        return (info >= 0 ? text.substring(0, info) : text).strip();
    }
}
