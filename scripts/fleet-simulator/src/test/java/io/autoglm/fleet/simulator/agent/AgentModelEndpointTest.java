package io.autoglm.fleet.simulator.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.agent.ActionGrammar;
import io.autoglm.fleet.events.agent.AgentReply;
import io.autoglm.fleet.events.agent.StepAction;
import io.autoglm.fleet.events.command.CommandAction;
import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.simulator.phone.SimulatedPhone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulated model over HTTP, asked as Open-AutoGLM's client asks: OpenAI's shapes in, OpenAI's shapes out, replies the grammar reads. */
class AgentModelEndpointTest {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newHttpClient();
    private AgentModelEndpoint endpoint;

    @AfterEach
    void stop() {
        if (endpoint != null) {
            endpoint.close();
        }
    }

    private AgentModelEndpoint start(ModelLatency latency) {
        endpoint = AgentModelEndpoint.start(0, new SimulatedAgentModel(0, 1), latency, 1);
        return endpoint;
    }

    /**
     * A request of the shape the inference function's ChatRequests builds: the system prompt; each earlier turn a user text
     * (the task and its screen info first) and the assistant's reply; the current turn the screenshot's data URL and the screen info.
     */
    private static ObjectNode request(String instruction, List<String> earlier, String imageUrl, String currentApp, boolean stream) {
        ObjectNode body = JSON.objectNode().put("model", SimulatedAgentModel.NAME);
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", "The current date: 2026-12-03, Thursday\n# Setup\nYou are a professional Android operation agent...");
        for (int i = 0; i < earlier.size(); i++) {
            String text = i == 0 ? instruction + "\n\n{\"current_app\": \"System Home\"}" : "** Screen Info **\n\n{\"current_app\": \"Settings\"}";
            messages.addObject().put("role", "user").putArray("content").addObject().put("type", "text").put("text", text);
            messages.addObject().put("role", "assistant").put("content", earlier.get(i));
        }
        ArrayNode content = messages.addObject().put("role", "user").putArray("content");
        content.addObject().put("type", "image_url").putObject("image_url").put("url", imageUrl);
        String info = "{\"current_app\": \"" + currentApp + "\"}";
        content.addObject().put("type", "text").put("text", earlier.isEmpty() ? instruction + "\n\n" + info : "** Screen Info **\n\n" + info);
        body.put("max_tokens", 3000).put("temperature", 0.0).put("top_p", 0.85).put("frequency_penalty", 0.2).put("stream", stream);
        if (stream) {
            body.putObject("stream_options").put("include_usage", true);
        }
        return body;
    }

    private static String dataUrl(byte[] png) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
    }

    private HttpResponse<String> post(JsonNode body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(endpoint.baseUrl() + "/chat/completions")).header("Content-Type", "application/json")
                .header("Authorization", "Bearer sk-anything").POST(HttpRequest.BodyPublishers.ofByteArray(EventJson.write(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void itListsItsModelAsOpenAiDoes() throws Exception {
        start(ModelLatency.NONE);
        HttpResponse<String> models = http.send(HttpRequest.newBuilder(URI.create(endpoint.baseUrl() + "/models")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(models.statusCode()).isEqualTo(200);
        JsonNode list = EventJson.mapper().readTree(models.body());
        assertThat(list.path("object").asText()).isEqualTo("list");
        assertThat(list.path("data").path(0).path("id").asText()).isEqualTo("autoglm-sim");
        assertThat(list.path("data").path(0).path("object").asText()).isEqualTo("model");
    }

    @Test
    void aWholeReplyIsAChatCompletionWithUsageAndAnActionTheGrammarReads() throws Exception {
        start(ModelLatency.NONE);
        byte[] home = new SimulatedPhone().screenshot();

        HttpResponse<String> response = post(request("open Settings and turn on Wi-Fi", List.of(), dataUrl(home), "System Home", false));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode reply = EventJson.mapper().readTree(response.body());
        assertThat(reply.path("object").asText()).isEqualTo("chat.completion");
        assertThat(reply.path("model").asText()).isEqualTo("autoglm-sim");
        assertThat(reply.path("id").asText()).startsWith("chatcmpl-");
        JsonNode choice = reply.path("choices").path(0);
        assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
        assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
        AgentReply parsed = ActionGrammar.parse(choice.path("message").path("content").asText());
        assertThat(parsed.action()).isEqualTo(new StepAction.Launch("Settings"));
        JsonNode usage = reply.path("usage");
        assertThat(usage.path("prompt_tokens").asInt()).isGreaterThan(200); // the screenshot alone is ~210
        assertThat(usage.path("completion_tokens").asInt()).isPositive();
        assertThat(usage.path("total_tokens").asInt()).isEqualTo(usage.path("prompt_tokens").asInt() + usage.path("completion_tokens").asInt());
    }

    @Test
    void aStreamedReplyComesAsChunksAfterTheFirstTokenLatencyThenUsageAndDone() throws Exception {
        start(new ModelLatency(Duration.ofMillis(300), Duration.ofMillis(600)));
        SimulatedPhone phone = new SimulatedPhone();
        phone.execute(new CommandAction(AgentAction.LAUNCH, Map.of("app", "Settings")));
        String first = ActionGrammar.formatTurn("Open Settings.", new StepAction.Launch("Settings"));

        long sent = System.nanoTime();
        HttpResponse<String> response = post(request("open Settings and turn on Wi-Fi", List.of(first), dataUrl(phone.screenshot()), "Settings", true));
        long tookMs = (System.nanoTime() - sent) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        List<String> data = response.body().lines().filter(line -> line.startsWith("data: ")).map(line -> line.substring(6)).toList();
        assertThat(data).last().isEqualTo("[DONE]");
        List<JsonNode> chunks = new ArrayList<>();
        for (String chunk : data.subList(0, data.size() - 1)) {
            chunks.add(EventJson.mapper().readTree(chunk));
        }
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk"));
        assertThat(chunks.get(0).path("choices").path(0).path("delta").path("role").asText()).isEqualTo("assistant");
        StringBuilder content = new StringBuilder();
        chunks.forEach(chunk -> content.append(chunk.path("choices").path(0).path("delta").path("content").asText("")));
        assertThat(chunks.get(chunks.size() - 2).path("choices").path(0).path("finish_reason").asText()).isEqualTo("stop");
        JsonNode usage = chunks.get(chunks.size() - 1);
        assertThat(usage.path("choices")).isEmpty();
        assertThat(usage.path("usage").path("completion_tokens").asInt()).isPositive();

        AgentReply parsed = ActionGrammar.parse(content.toString());
        assertThat(parsed.action()).isInstanceOf(StepAction.Tap.class); // the Wi-Fi row: the instruction came from the first turn
        assertThat(phone.screen().widget("wifi").orElseThrow().box().contains(((StepAction.Tap) parsed.action()).element())).isTrue();
        assertThat(tookMs).isGreaterThanOrEqualTo(480); // the total, less its fifth of spread
    }

    @Test
    void aScreenshotByLinkIsFetched() throws Exception {
        start(ModelLatency.NONE);
        Path file = Files.write(dir.resolve("screen.png"), new SimulatedPhone().screenshot());

        HttpResponse<String> response = post(request("go to the home screen", List.of(), file.toUri().toString(), "System Home", false));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(ActionGrammar.parse(EventJson.mapper().readTree(response.body()).path("choices").path(0).path("message").path("content").asText())
                .action()).isEqualTo(new StepAction.Finish("This is the home screen."));
    }

    @Test
    void whatItCannotAnswerIsRefusedInOpenAisErrorShape() throws Exception {
        start(ModelLatency.NONE);
        String home = dataUrl(new SimulatedPhone().screenshot());

        ObjectNode other = request("turn on wifi", List.of(), home, "System Home", false).put("model", "gpt-4o");
        HttpResponse<String> unknown = post(other);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(EventJson.mapper().readTree(unknown.body()).path("error").path("code").asText()).isEqualTo("model_not_found");

        BufferedImage real = new BufferedImage(108, 240, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(real, "png", png);
        HttpResponse<String> notSimulated = post(request("turn on wifi", List.of(), dataUrl(png.toByteArray()), "System Home", false));
        assertThat(notSimulated.statusCode()).isEqualTo(400);
        assertThat(EventJson.mapper().readTree(notSimulated.body()).path("error").path("message").asText()).contains("simulator's screenshots");

        HttpResponse<String> noImage = post(JSON.objectNode().put("model", "autoglm-sim").set("messages",
                JSON.arrayNode().add(JSON.objectNode().put("role", "user").put("content", "turn on wifi"))));
        assertThat(noImage.statusCode()).isEqualTo(400);
        assertThat(EventJson.mapper().readTree(noImage.body()).path("error").path("type").asText()).isEqualTo("invalid_request_error");

        HttpResponse<String> elsewhere = http.send(HttpRequest.newBuilder(URI.create(endpoint.baseUrl() + "/embeddings")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(elsewhere.statusCode()).isEqualTo(404);
    }

    @Test
    void piecesNeverSplitACharacterAndTokensAreEstimated() {
        assertThat(String.join("", AgentModelEndpoint.pieces("<think>张三😀</think><answer>finish(message=\"好\")</answer>")))
                .isEqualTo("<think>张三😀</think><answer>finish(message=\"好\")</answer>");
        assertThat(AgentModelEndpoint.pieces("abcdefghijk😀")).allSatisfy(piece -> assertThat(Character.isHighSurrogate(piece.charAt(piece.length() - 1))).isFalse());
        assertThat(AgentModelEndpoint.tokens("你好")).isEqualTo(2);
        assertThat(AgentModelEndpoint.tokens("turn on wifi")).isEqualTo(3);
    }
}
