package io.autoglm.fleet.inference.remote;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.agent.AgentTurn;
import io.autoglm.fleet.events.inference.AgentStep;
import io.autoglm.fleet.modelstore.RemoteBackend;
import io.autoglm.fleet.service.Bytes;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;

/**
 * An agent step as an OpenAI chat-completions request, built exactly as Open-AutoGLM builds it: the
 * system prompt; each earlier turn as a user message of text only (the task and the screen info first,
 * {@code ** Screen Info **} after) and the assistant's {@code <think>..</think><answer>..</answer>};
 * the current turn as {@code [image_url data:image/png;base64,..., text]}; the version's sampling;
 * streamed, with the token usage in the last chunk.
 */
final class ChatRequests {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ChatRequests() {
    }

    /**
     * The request's bytes. The screenshot's base64 (the bulk of the body: ~1.3x the PNG) is encoded straight into
     * them rather than through a string and a JSON tree (it needs no JSON escaping), which keeps an agent step's
     * garbage to about the body itself.
     */
    static byte[] agentStep(RemoteBackend backend, AgentStep step, byte[] screenshotPng, LocalDate today) {
        String marker = "autoglm-screenshot-" + java.util.UUID.randomUUID();
        byte[] around = tree(backend, step, marker, today);
        int at = Bytes.indexOf(around, marker.getBytes(StandardCharsets.US_ASCII));
        if (at < 0) {
            throw new IllegalStateException("the screenshot's place is missing from the request");
        }
        byte[] prefix = "data:image/png;base64,".getBytes(StandardCharsets.US_ASCII);
        byte[] image = Base64.getEncoder().encode(screenshotPng);
        int tail = at + marker.length();
        byte[] body = new byte[at + prefix.length + image.length + around.length - tail];
        System.arraycopy(around, 0, body, 0, at);
        System.arraycopy(prefix, 0, body, at, prefix.length);
        System.arraycopy(image, 0, body, at + prefix.length, image.length);
        System.arraycopy(around, tail, body, at + prefix.length + image.length, around.length - tail);
        return body;
    }

    /** The request with {@code imageUrl} where the screenshot's data URL goes. */
    private static byte[] tree(RemoteBackend backend, AgentStep step, String imageUrl, LocalDate today) {
        ObjectNode body = JSON.objectNode();
        body.put("model", backend.servedModel());
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", AgentPrompts.system(step.language(), today));
        List<AgentTurn> history = step.history();
        for (int i = 0; i < history.size(); i++) {
            ObjectNode user = messages.addObject().put("role", "user");
            user.putArray("content").addObject().put("type", "text").put("text", turnText(step.instruction(), i == 0, history.get(i).currentApp()));
            messages.addObject().put("role", "assistant").put("content", history.get(i).reply());
        }
        ObjectNode current = messages.addObject().put("role", "user");
        ArrayNode content = current.putArray("content");
        content.addObject().put("type", "image_url").putObject("image_url").put("url", imageUrl);
        content.addObject().put("type", "text").put("text", turnText(step.instruction(), history.isEmpty(), step.currentApp()));
        RemoteBackend.Sampling sampling = backend.sampling();
        body.put("max_tokens", sampling.maxTokens());
        body.put("temperature", sampling.temperature());
        body.put("top_p", sampling.topP());
        body.put("frequency_penalty", sampling.frequencyPenalty());
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        return EventJson.write(body);
    }

    /** The task and the screen info on the first turn, the screen info alone after it. */
    static String turnText(String instruction, boolean first, String currentApp) {
        String screenInfo = screenInfo(currentApp);
        return first ? instruction + "\n\n" + screenInfo : "** Screen Info **\n\n" + screenInfo;
    }

    /** {@code {"current_app": "微信"}}, as Python's {@code json.dumps(..., ensure_ascii=False)} writes it. */
    static String screenInfo(String currentApp) {
        return "{\"current_app\": " + new String(EventJson.write(currentApp), StandardCharsets.UTF_8) + "}";
    }
}
