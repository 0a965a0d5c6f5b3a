package io.autoglm.fleet.simulator.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.simulator.phone.Screen;
import io.autoglm.fleet.simulator.phone.SimulatedScreenshot;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulated agent model ({@value SimulatedAgentModel#NAME}) served over the OpenAI-compatible API the
 * real backends (vLLM, SGLang, hosted APIs) serve, so that the fleet's real inference client runs end to
 * end against it: {@code GET /v1/models} and {@code POST /v1/chat/completions}, whole or streamed
 * ({@code stream: true}: server-sent {@code chat.completion.chunk}s, the usage in a last chunk when
 * {@code stream_options.include_usage} asks, then {@code [DONE]}), in OpenAI's shapes, with token counts
 * (estimated: about four characters of text a token, a token per 28x28 pixels of image). The newest
 * screenshot is read from its data URL, or fetched from its {@code http(s)}/{@code file} link; a
 * screenshot that is not one of the simulator's (no {@value SimulatedScreenshot#KEYWORD} chunk) is refused
 * (400): this model reads only simulated phones. Replies wait the {@link ModelLatency} (first token, total),
 * on timers: no thread is held. Listens on 127.0.0.1 only; any bearer token is accepted.
 */
public final class AgentModelEndpoint implements AutoCloseable {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final int MAX_BODY = 32 << 20;
    private static final int MAX_SCREENSHOT = 20 << 20;
    private static final String DATA_PNG = "data:image/png;base64,";
    /** Content pieces of a streamed reply: about this many characters each. */
    private static final int PIECE = 12;

    private final Vertx vertx;
    private final HttpServer server;
    private final SimulatedAgentModel model;
    private final ModelLatency latency;
    private final Random random;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicLong replies = new AtomicLong();

    private AgentModelEndpoint(SimulatedAgentModel model, ModelLatency latency, long seed) {
        this.model = Objects.requireNonNull(model, "model");
        this.latency = Objects.requireNonNull(latency, "latency");
        this.random = new Random(seed);
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(4).setInternalBlockingPoolSize(1));
        this.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setMaxInitialLineLength(8192).setCompressionSupported(false));
    }

    /** Serves {@code model} on {@code port} of 127.0.0.1 (0: any free port) once listening. */
    public static AgentModelEndpoint start(int port, SimulatedAgentModel model, ModelLatency latency, long seed) {
        AgentModelEndpoint endpoint = new AgentModelEndpoint(model, latency, seed);
        endpoint.server.requestHandler(endpoint::handle);
        try {
            endpoint.server.listen(port).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            endpoint.close();
            throw new IllegalStateException("the simulated agent model cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
        return endpoint;
    }

    public int port() {
        return server.actualPort();
    }

    /** The API root a backend's {@code baseUrl} names: {@code http://127.0.0.1:<port>/v1}. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port() + "/v1");
    }

    /** Replies given so far. */
    public long replies() {
        return replies.get();
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }

    private void handle(HttpServerRequest request) {
        long arrived = System.nanoTime();
        String path = request.path();
        if (path.equals("/v1/models") || path.equals("/models")) {
            if (request.method() != HttpMethod.GET) {
                error(request.response(), 405, "use GET for " + path, "invalid_request_error", null);
                return;
            }
            ObjectNode models = JSON.objectNode().put("object", "list");
            models.putArray("data").addObject().put("id", SimulatedAgentModel.NAME).put("object", "model").put("created", 1764720000L)
                    .put("owned_by", "autoglm-fleet-simulator");
            json(request.response(), 200, models);
            return;
        }
        if (!path.equals("/v1/chat/completions") && !path.equals("/chat/completions")) {
            error(request.response(), 404, "no such route: " + request.method() + " " + path, "invalid_request_error", null);
            return;
        }
        if (request.method() != HttpMethod.POST) {
            error(request.response(), 405, "use POST for " + path, "invalid_request_error", null);
            return;
        }
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (body.length() + chunk.length() > MAX_BODY) {
                if (!request.response().ended()) {
                    error(request.response(), 413, "the request is over " + (MAX_BODY >> 20) + " MiB", "invalid_request_error", null);
                }
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(end -> {
            if (request.response().ended()) {
                return;
            }
            vertx.<Object>executeBlocking(() -> answer(body.getBytes()), false).onComplete(done -> {
                if (done.failed()) {
                    error(request.response(), 500, "the simulated model failed: " + done.cause(), "server_error", null);
                } else if (done.result() instanceof Refusal refusal) {
                    error(request.response(), refusal.status(), refusal.message(), "invalid_request_error", refusal.code());
                } else {
                    Answer answer = (Answer) done.result();
                    replies.incrementAndGet();
                    long[] times = latency.sample(random);
                    long spent = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - arrived);
                    if (answer.stream()) {
                        stream(request.response(), answer, times[0] - spent, times[1] - spent);
                    } else {
                        later(times[1] - spent, () -> json(request.response(), 200, whole(answer)));
                    }
                }
            });
        });
    }

    /** A reply to give: its text, its token counts, how to send it. */
    private record Answer(String id, long created, String content, int promptTokens, int completionTokens, boolean stream, boolean includeUsage) {
    }

    /** A request the model will not answer, as OpenAI says so. */
    private record Refusal(int status, String message, String code) {
    }

    /** Reads the request, its screenshot and the screen in it, and plans the reply (blocking: a linked screenshot is fetched). */
    private Object answer(byte[] body) {
        ChatTurns turns;
        try {
            turns = ChatTurns.read(EventJson.mapper().readTree(body));
        } catch (JsonProcessingException e) {
            return new Refusal(400, "the body is not JSON: " + e.getOriginalMessage(), null);
        } catch (IOException e) {
            return new Refusal(400, "the body cannot be read: " + e.getMessage(), null);
        } catch (IllegalArgumentException e) {
            return new Refusal(400, e.getMessage(), null);
        }
        if (!turns.model().equals(SimulatedAgentModel.NAME)) {
            return new Refusal(404, "The model `" + turns.model() + "` does not exist: this backend serves " + SimulatedAgentModel.NAME, "model_not_found");
        }
        byte[] png;
        try {
            png = screenshot(turns.imageUrl());
        } catch (IllegalArgumentException e) {
            return new Refusal(400, e.getMessage(), null);
        }
        Screen screen = SimulatedScreenshot.describe(png).orElse(null);
        if (screen == null) {
            return new Refusal(400, SimulatedAgentModel.NAME + " reads only the fleet simulator's screenshots (a PNG with a "
                    + SimulatedScreenshot.KEYWORD + " tEXt chunk): point the stack at a real model for real phones", null);
        }
        String content = model.reply(turns.instruction(), turns.earlierReplies(), screen);
        int prompt = turns.texts().stream().mapToInt(AgentModelEndpoint::tokens).sum()
                + SimulatedScreenshot.size(png).map(size -> ((size[0] + 27) / 28) * ((size[1] + 27) / 28)).orElse(0);
        return new Answer("chatcmpl-sim-" + Long.toHexString(random.nextLong() & Long.MAX_VALUE), System.currentTimeMillis() / 1000, content, prompt,
                tokens(content), turns.stream(), turns.includeUsage());
    }

    private byte[] screenshot(String url) {
        if (url.startsWith(DATA_PNG)) {
            try {
                return Base64.getMimeDecoder().decode(url.substring(DATA_PNG.length()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the screenshot's data URL is not base64");
            }
        }
        if (url.startsWith("data:")) {
            throw new IllegalArgumentException("the screenshot must be a PNG (data:image/png;base64,...), got " + url.substring(0, Math.min(30, url.length())));
        }
        URI link;
        try {
            link = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the screenshot's image_url is neither a data URL nor a link: " + e.getMessage());
        }
        String scheme = link.getScheme() == null ? "" : link.getScheme();
        try {
            if (scheme.equals("file")) {
                Path file = Path.of(link);
                if (Files.size(file) > MAX_SCREENSHOT) {
                    throw new IllegalArgumentException("the screenshot " + url + " is over " + (MAX_SCREENSHOT >> 20) + " MiB");
                }
                return Files.readAllBytes(file);
            }
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("the screenshot's image_url must be a data URL or an http(s) or file link, got " + url);
            }
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(link).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IllegalArgumentException("the screenshot " + url + " cannot be fetched: HTTP " + response.statusCode());
                }
                return in.readNBytes(MAX_SCREENSHOT);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("the screenshot " + url + " cannot be fetched: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalArgumentException("interrupted fetching the screenshot " + url);
        }
    }

    /** {@code chat.completion}: the whole reply. */
    private static ObjectNode whole(Answer answer) {
        ObjectNode reply = head(answer, "chat.completion");
        ObjectNode choice = reply.putArray("choices").addObject().put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", answer.content());
        choice.putNull("logprobs");
        choice.put("finish_reason", "stop");
        usage(reply, answer);
        return reply;
    }

    /** Server-sent {@code chat.completion.chunk}s: the role, the content in pieces from the first token to the total, the end, the usage, [DONE]. */
    private void stream(HttpServerResponse response, Answer answer, long firstTokenMs, long totalMs) {
        response.setStatusCode(200).setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8").putHeader("Cache-Control", "no-cache");
        List<String> pieces = pieces(answer.content());
        List<ObjectNode> chunks = new ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) {
            ObjectNode delta = JSON.objectNode();
            if (i == 0) {
                delta.put("role", "assistant");
            }
            chunks.add(chunk(answer, delta.put("content", pieces.get(i)), null));
        }
        chunks.add(chunk(answer, JSON.objectNode(), "stop"));
        long first = Math.max(0, firstTokenMs);
        long step = pieces.size() > 1 ? Math.max(0, totalMs - first) / (pieces.size() - 1) : 0;
        for (int i = 0; i < chunks.size(); i++) {
            ObjectNode chunk = chunks.get(i);
            boolean last = i == chunks.size() - 1;
            later(first + step * Math.min(i, pieces.size() - 1), () -> {
                if (response.closed() || response.ended()) {
                    return;
                }
                response.write(event(chunk));
                if (last) {
                    if (answer.includeUsage()) {
                        ObjectNode usage = head(answer, "chat.completion.chunk");
                        usage.putArray("choices");
                        usage(usage, answer);
                        response.write(event(usage));
                    }
                    response.end("data: [DONE]\n\n");
                }
            });
        }
    }

    private static ObjectNode chunk(Answer answer, ObjectNode delta, String finishReason) {
        ObjectNode chunk = head(answer, "chat.completion.chunk");
        ArrayNode choices = chunk.putArray("choices");
        ObjectNode choice = choices.addObject().put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        if (answer.includeUsage()) {
            chunk.putNull("usage");
        }
        return chunk;
    }

    private static ObjectNode head(Answer answer, String object) {
        return JSON.objectNode().put("id", answer.id()).put("object", object).put("created", answer.created()).put("model", SimulatedAgentModel.NAME)
                .putNull("system_fingerprint");
    }

    private static void usage(ObjectNode reply, Answer answer) {
        reply.putObject("usage").put("prompt_tokens", answer.promptTokens()).put("completion_tokens", answer.completionTokens())
                .put("total_tokens", answer.promptTokens() + answer.completionTokens());
    }

    private static String event(ObjectNode chunk) {
        return "data: " + new String(EventJson.write(chunk), StandardCharsets.UTF_8) + "\n\n";
    }

    /** The reply cut into pieces of about {@value #PIECE} characters, never inside a surrogate pair. */
    static List<String> pieces(String content) {
        List<String> pieces = new ArrayList<>();
        int at = 0;
        while (at < content.length()) {
            int end = Math.min(content.length(), at + PIECE);
            if (end < content.length() && Character.isHighSurrogate(content.charAt(end - 1))) {
                end++;
            }
            pieces.add(content.substring(at, end));
            at = end;
        }
        if (pieces.isEmpty()) {
            pieces.add("");
        }
        return pieces;
    }

    /** An estimate of a text's tokens: a CJK character each, about four characters of other text each. */
    static int tokens(String text) {
        int cjk = 0;
        int other = 0;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN) {
                cjk++;
            } else if (!Character.isWhitespace(c)) {
                other++;
            }
            i += Character.charCount(c);
        }
        return cjk + (other + 3) / 4;
    }

    private void later(long delayMs, Runnable action) {
        if (delayMs < 1) {
            vertx.runOnContext(v -> action.run());
        } else {
            vertx.setTimer(delayMs, id -> action.run());
        }
    }

    private static void json(HttpServerResponse response, int status, JsonNode body) {
        if (!response.ended() && !response.closed()) {
            response.setStatusCode(status).putHeader("Content-Type", "application/json").end(Buffer.buffer(EventJson.write(body)));
        }
    }

    private static void error(HttpServerResponse response, int status, String message, String type, String code) {
        ObjectNode error = JSON.objectNode();
        ObjectNode detail = error.putObject("error").put("message", message).put("type", type).putNull("param");
        if (code == null) {
            detail.putNull("code");
        } else {
            detail.put("code", code);
        }
        json(response, status, error);
    }
}
