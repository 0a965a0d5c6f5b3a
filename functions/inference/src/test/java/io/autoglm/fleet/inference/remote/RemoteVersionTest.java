package io.autoglm.fleet.inference.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.agent.ActionGrammar;
import io.autoglm.fleet.events.agent.AgentTurn;
import io.autoglm.fleet.events.agent.RelativePoint;
import io.autoglm.fleet.events.agent.ScreenshotRef;
import io.autoglm.fleet.events.agent.StepAction;
import io.autoglm.fleet.events.inference.AgentStep;
import io.autoglm.fleet.events.inference.FailureReason;
import io.autoglm.fleet.events.inference.InferenceCompleted;
import io.autoglm.fleet.events.inference.InferenceRequested;
import io.autoglm.fleet.inference.InferenceFailure;
import io.autoglm.fleet.modelstore.ModelManifest;
import io.autoglm.fleet.modelstore.RemoteBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A remote version against WireMock playing a vLLM backend: what the caller gets, and exactly what the backend received. */
class RemoteVersionTest {

    private static final String CHAT = "/v1/chat/completions";
    private static final String SERVED = "autoglm-phone-9b";

    @TempDir
    Path dir;
    private final WireMockServer backend = new WireMockServer(options().dynamicPort());
    private byte[] png;
    private ScreenshotRef screenshot;
    private RemoteVersion version;

    @BeforeEach
    void start() throws Exception {
        backend.start();
        backend.stubFor(get(urlEqualTo("/v1/models")).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"object\":\"list\",\"data\":[{\"id\":\"" + SERVED + "\",\"object\":\"model\"}]}")));
        BufferedImage image = new BufferedImage(108, 240, BufferedImage.TYPE_INT_RGB);
        image.setRGB(10, 20, 0xff8800);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        png = out.toByteArray();
        Path file = Files.write(dir.resolve("screen.png"), png);
        screenshot = new ScreenshotRef(file.toUri(), Screenshots.sha256(png), 108, 240);
    }

    @AfterEach
    void stop() {
        if (version != null) {
            version.close();
        }
        backend.stop();
    }

    private RemoteVersion open(RemoteBackend.Timeouts timeouts, int maxConcurrency, int maxQueue) {
        RemoteBackend remote = new RemoteBackend("openai-chat", URI.create(backend.baseUrl() + "/v1"), SERVED,
                new RemoteBackend.Credential("VLLM_API_KEY", null), null, timeouts, maxConcurrency, maxQueue,
                new RemoteBackend.Retry(3, 10, 50));
        ModelManifest manifest = ModelManifest.remoteDraft("phone", remote, null).published(2, List.of(), Instant.parse("2026-12-01T00:00:00Z"));
        version = RemoteVersion.open(manifest, Map.of("VLLM_API_KEY", "sk-test"));
        return version;
    }

    private RemoteVersion open() {
        return open(new RemoteBackend.Timeouts(2_000, 2_000, 10_000), 4, 4);
    }

    private InferenceRequested step(List<AgentTurn> history) {
        return new InferenceRequested("inf-1", "phone@stable", null, null, null, null,
                new AgentStep("task-1", "打开微信给张三发消息", history, screenshot, "微信", "zh"));
    }

    private static String sse(String... contents) {
        StringBuilder body = new StringBuilder();
        for (String content : contents) {
            body.append("data: ").append(new String(EventJson.write(Map.of("choices", List.of(Map.of("index", 0, "delta",
                    Map.of("content", content)))))))
                    .append("\n\n");
        }
        body.append("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
        body.append("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":1500,\"completion_tokens\":42}}\n\n");
        return body.append("data: [DONE]\n\n").toString();
    }

    private void streams(String body) {
        backend.stubFor(post(urlEqualTo(CHAT)).willReturn(aResponse().withHeader("Content-Type", "text/event-stream").withBody(body)));
    }

    private static InferenceFailure failure(CompletableFuture<?> answer) throws Exception {
        try {
            answer.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return InferenceFailure.of(e.getCause());
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void aStreamedReplyIsReadIntoTheActionWithItsTimingsAndTokens() throws Exception {
        streams(sse("<think>输入框在底部", "</think><answer>do(action=\"Tap\", ", "element=[500,920])</answer>"));
        InferenceCompleted completed = open().infer(step(List.of())).get(10, TimeUnit.SECONDS);

        assertThat(completed.engine()).isEqualTo("remote");
        assertThat(completed.version()).isEqualTo(2);
        assertThat(completed.agent().action()).isEqualTo(new StepAction.Tap(new RelativePoint(500, 920), null));
        assertThat(completed.agent().thinking()).isEqualTo("输入框在底部");
        assertThat(completed.agent().promptTokens()).isEqualTo(1500);
        assertThat(completed.agent().completionTokens()).isEqualTo(42);
        assertThat(completed.agent().firstTokenMs()).isPositive().isLessThanOrEqualTo(completed.agent().totalMs());
    }

    @Test
    void theRequestIsBuiltAsOpenAutoGlmBuildsIt() throws Exception {
        streams(sse("<answer>do(action=\"Back\")</answer>"));
        List<AgentTurn> history = List.of(
                new AgentTurn("System Home", ActionGrammar.formatTurn("先打开微信", new StepAction.Launch("微信"))),
                new AgentTurn("微信", ActionGrammar.formatTurn("找张三", new StepAction.Tap(new RelativePoint(1, 2), null))));
        open().infer(step(history)).get(10, TimeUnit.SECONDS);

        backend.verify(1, postRequestedFor(urlEqualTo(CHAT)).withHeader("Authorization", equalTo("Bearer sk-test")));
        JsonNode sent = EventJson.mapper().readTree(backend.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().equals(CHAT)).findFirst().orElseThrow().getRequest().getBodyAsString());
        assertThat(sent.path("model").asText()).isEqualTo(SERVED);
        assertThat(sent.path("stream").asBoolean()).isTrue();
        assertThat(sent.path("stream_options").path("include_usage").asBoolean()).isTrue();
        assertThat(sent.path("temperature").asDouble()).isEqualTo(0.0);
        assertThat(sent.path("top_p").asDouble()).isEqualTo(0.85);
        assertThat(sent.path("frequency_penalty").asDouble()).isEqualTo(0.2);
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(3000);
        JsonNode messages = sent.path("messages");
        assertThat(messages).hasSize(6);
        assertThat(messages.path(0).path("role").asText()).isEqualTo("system");
        assertThat(messages.path(0).path("content").asText()).startsWith("今天的日期是: " + AgentPrompts.date("zh", LocalDate.now()) + "\n")
                .contains("do(action=\"Tap\", element=[x,y])");
        assertThat(messages.path(1).path("content")).hasSize(1);
        assertThat(messages.path(1).path("content").path(0).path("text").asText())
                .isEqualTo("打开微信给张三发消息\n\n{\"current_app\": \"System Home\"}");
        assertThat(messages.path(2).path("role").asText()).isEqualTo("assistant");
        assertThat(messages.path(2).path("content").asText())
                .isEqualTo("<think>先打开微信</think><answer>do(action=\"Launch\", app=\"微信\")</answer>");
        assertThat(messages.path(3).path("content").path(0).path("text").asText()).isEqualTo("** Screen Info **\n\n{\"current_app\": \"微信\"}");
        JsonNode current = messages.path(5).path("content");
        assertThat(current.path(0).path("type").asText()).isEqualTo("image_url");
        assertThat(current.path(0).path("image_url").path("url").asText()).isEqualTo("data:image/png;base64," + Base64.getEncoder().encodeToString(png));
        assertThat(current.path(1).path("text").asText()).isEqualTo("** Screen Info **\n\n{\"current_app\": \"微信\"}");
    }

    @Test
    void theEnglishPromptCarriesTheDateAsOpenAutoGlmWritesIt() {
        assertThat(AgentPrompts.system("en", LocalDate.of(2026, 12, 3))).startsWith("The current date: 2026-12-03, Thursday\n# Setup");
        assertThat(AgentPrompts.date("zh", LocalDate.of(2026, 12, 3))).isEqualTo("2026年12月03日 星期四");
    }

    @Test
    void aNonStreamedReplyIsReadToo() throws Exception {
        backend.stubFor(post(urlEqualTo(CHAT)).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"<think>ok</think><answer>finish(message=\\\"done\\\")</answer>\"}}],"
                        + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5}}")));
        InferenceCompleted completed = open().infer(step(List.of())).get(10, TimeUnit.SECONDS);
        assertThat(completed.agent().action()).isEqualTo(new StepAction.Finish("done"));
        assertThat(completed.agent().completionTokens()).isEqualTo(5);
    }

    @Test
    void aReplyThatIsNotAnActionIsAnsweredWithWhyNotSilentlyFinished() throws Exception {
        streams(sse("I think I should tap the button."));
        InferenceCompleted completed = open().infer(step(List.of())).get(10, TimeUnit.SECONDS);
        assertThat(completed.agent().action()).isNull();
        assertThat(completed.agent().unparseable()).contains("no <answer> and no do(action=...)");
        assertThat(completed.agent().raw()).isEqualTo("I think I should tap the button.");
    }

    @Test
    void a429IsRetriedAfterItsRetryAfter() throws Exception {
        backend.stubFor(post(urlEqualTo(CHAT)).inScenario("busy").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1").withBody("{\"error\":{\"message\":\"too many\"}}"))
                .willSetStateTo("free"));
        backend.stubFor(post(urlEqualTo(CHAT)).inScenario("busy").whenScenarioStateIs("free")
                .willReturn(aResponse().withHeader("Content-Type", "text/event-stream").withBody(sse("<answer>do(action=\"Home\")</answer>"))));
        long start = System.nanoTime();
        assertThat(open().infer(step(List.of())).get(10, TimeUnit.SECONDS).agent().action()).isEqualTo(new StepAction.Home());
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("waited for Retry-After").isGreaterThanOrEqualTo(900);
        backend.verify(2, postRequestedFor(urlEqualTo(CHAT)));
    }

    @Test
    void a500IsRetriedAndTheNextAnswerServes() throws Exception {
        backend.stubFor(post(urlEqualTo(CHAT)).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500).withBody("oops")).willSetStateTo("ok"));
        backend.stubFor(post(urlEqualTo(CHAT)).inScenario("flaky").whenScenarioStateIs("ok")
                .willReturn(aResponse().withHeader("Content-Type", "text/event-stream").withBody(sse("<answer>do(action=\"Back\")</answer>"))));
        assertThat(open().infer(step(List.of())).get(10, TimeUnit.SECONDS).agent().action()).isEqualTo(new StepAction.Back());
        backend.verify(2, postRequestedFor(urlEqualTo(CHAT)));
    }

    @Test
    void aStalledStreamIsATimeoutAtTheFirstTokenDeadline() throws Exception {
        backend.stubFor(post(urlEqualTo(CHAT)).willReturn(aResponse().withHeader("Content-Type", "text/event-stream")
                .withBody(sse("<answer>do(action=\"Back\")</answer>")).withFixedDelay(3_000)));
        InferenceFailure failure = failure(open(new RemoteBackend.Timeouts(1_000, 300, 10_000), 4, 4).infer(step(List.of())));
        assertThat(failure.reason()).isEqualTo(FailureReason.TIMEOUT);
        assertThat(failure.getMessage()).contains("no first token within 300 ms");
        backend.verify(1, postRequestedFor(urlEqualTo(CHAT)));
    }

    @Test
    void aTruncatedStreamIsRetriedThenTheBackendIsUnavailable() throws Exception {
        streams("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"<think>half\"}}]}\n\n");
        InferenceFailure failure = failure(open().infer(step(List.of())));
        assertThat(failure.reason()).isEqualTo(FailureReason.BACKEND_UNAVAILABLE);
        assertThat(failure.getMessage()).contains("stream ended before the reply did", "attempt 3 of 3");
        backend.verify(3, postRequestedFor(urlEqualTo(CHAT)));
    }

    @Test
    void aBodyThatIsNotJsonIsRetriedThenTheBackendIsUnavailable() throws Exception {
        backend.stubFor(post(urlEqualTo(CHAT)).willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("<html>proxy</html>")));
        InferenceFailure failure = failure(open().infer(step(List.of())));
        assertThat(failure.reason()).isEqualTo(FailureReason.BACKEND_UNAVAILABLE);
        assertThat(failure.getMessage()).contains("is not JSON: <html>proxy</html>");
    }

    @Test
    void aRefusedCredentialIsNotRetried() throws Exception {
        backend.stubFor(post(urlEqualTo(CHAT)).willReturn(aResponse().withStatus(401)
                .withBody("{\"error\":{\"message\":\"invalid api key\"}}")));
        InferenceFailure failure = failure(open().infer(step(List.of())));
        assertThat(failure.reason()).isEqualTo(FailureReason.CREDENTIAL_REFUSED);
        assertThat(failure.getMessage()).contains("refused the credential (HTTP 401): invalid api key", "remote.credential");
        backend.verify(1, postRequestedFor(urlEqualTo(CHAT)));
    }

    @Test
    void anotherRefusalIsTheRequestsFaultAndNotRetried() throws Exception {
        backend.stubFor(post(urlEqualTo(CHAT)).willReturn(aResponse().withStatus(400)
                .withBody("{\"error\":{\"message\":\"maximum context length is 8192 tokens\"}}")));
        InferenceFailure failure = failure(open().infer(step(List.of())));
        assertThat(failure.reason()).isEqualTo(FailureReason.BAD_REQUEST);
        assertThat(failure.getMessage()).contains("maximum context length");
        backend.verify(1, postRequestedFor(urlEqualTo(CHAT)));
    }

    @Test
    void aBackendThatGoesDownIsRetriedThenUnavailableAndReadinessSaysSo() throws Exception {
        RemoteVersion version = open();
        backend.stubFor(post(urlEqualTo(CHAT)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        InferenceFailure failure = failure(version.infer(step(List.of())));
        assertThat(failure.reason()).isEqualTo(FailureReason.BACKEND_UNAVAILABLE);
        backend.verify(3, postRequestedFor(urlEqualTo(CHAT)));

        int port = backend.port();
        backend.stop();
        assertThat(failure(version.infer(step(List.of()))).reason()).isEqualTo(FailureReason.BACKEND_UNAVAILABLE);
        assertThat(version.problem()).contains("cannot connect to http://localhost:" + port);

        // nothing is sent to a version that is not ready: it finds out by itself when the backend is back
        WireMockServer again = new WireMockServer(options().port(port));
        again.start();
        try {
            again.stubFor(get(urlEqualTo("/v1/models")).willReturn(aResponse().withBody("{\"data\":[{\"id\":\"" + SERVED + "\"}]}")));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (version.problem() != null && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(version.problem()).as("ready again once the backend lists its model").isNull();
        } finally {
            again.stop();
        }
    }

    @Test
    void aBackendThatIsDownOrDoesNotServeTheModelIsNotOpened() throws Exception {
        backend.stubFor(get(urlEqualTo("/v1/models")).willReturn(aResponse().withBody("{\"data\":[{\"id\":\"other\"}]}")));
        assertThatThrownBy(this::open).hasMessageContaining("does not serve 'autoglm-phone-9b' (it serves [other])");
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        RemoteBackend down = new RemoteBackend(null, URI.create("http://127.0.0.1:" + closed + "/v1"), SERVED, null, null, null, 0, 0, null);
        ModelManifest manifest = ModelManifest.remoteDraft("phone", down, null).published(1, List.of(), Instant.now());
        assertThatThrownBy(() -> RemoteVersion.open(manifest, Map.of())).hasMessageContaining("cannot be reached");
        RemoteBackend keyed = new RemoteBackend(null, URI.create(backend.baseUrl() + "/v1"), SERVED,
                new RemoteBackend.Credential("MISSING_KEY", null), null, null, 0, 0, null);
        assertThatThrownBy(() -> RemoteVersion.open(ModelManifest.remoteDraft("phone", keyed, null).published(1, List.of(), Instant.now()), Map.of()))
                .hasMessageContaining("the environment variable MISSING_KEY, which is not set");
    }

    @Test
    void pastItsConcurrencyAndQueueARequestIsRefusedAtOnce() throws Exception {
        backend.stubFor(post(urlEqualTo(CHAT)).willReturn(aResponse().withHeader("Content-Type", "text/event-stream")
                .withBody(sse("<answer>do(action=\"Back\")</answer>")).withFixedDelay(1_000)));
        RemoteVersion version = open(new RemoteBackend.Timeouts(2_000, 5_000, 10_000), 1, 1);
        List<CompletableFuture<InferenceCompleted>> taken = new ArrayList<>();
        taken.add(version.infer(step(List.of())));
        taken.add(version.infer(step(List.of())));
        assertThat(version.queued()).isEqualTo(2);
        assertThatThrownBy(() -> version.infer(step(List.of()))).isInstanceOfSatisfying(InferenceFailure.class,
                refused -> assertThat(refused.reason()).isEqualTo(FailureReason.CAPACITY));
        for (CompletableFuture<InferenceCompleted> answer : taken) {
            assertThat(answer.get(10, TimeUnit.SECONDS).agent().action()).isEqualTo(new StepAction.Back());
        }
        assertThat(version.queued()).isZero();
    }

    @Test
    void aScreenshotThatIsNotTheOneNamedIsRefusedBeforeTheBackendIsCalled() throws Exception {
        streams(sse("<answer>do(action=\"Back\")</answer>"));
        screenshot = new ScreenshotRef(screenshot.uri(), "0".repeat(64), 108, 240);
        InferenceFailure failure = failure(open().infer(step(List.of())));
        assertThat(failure.reason()).isEqualTo(FailureReason.BAD_REQUEST);
        assertThat(failure.getMessage()).contains("is not the screenshot this step was taken with");
        backend.verify(0, postRequestedFor(urlEqualTo(CHAT)));
    }

    @Test
    void aScreenshotWhosePresignedUrlExpiredIsTheRequestsFaultNotARetry() throws Exception {
        streams(sse("<answer>do(action=\"Back\")</answer>"));
        backend.stubFor(get(urlEqualTo("/blobs/acme/expired.png")).willReturn(aResponse().withStatus(403)));
        screenshot = new ScreenshotRef(java.net.URI.create(backend.baseUrl() + "/blobs/acme/expired.png"), screenshot.sha256(), 108, 240);
        InferenceFailure failure = failure(open().infer(step(List.of())));
        assertThat(failure.reason()).isEqualTo(FailureReason.BAD_REQUEST);
        assertThat(failure.getMessage()).contains("is not in the blob store (HTTP 403)");
        backend.verify(0, postRequestedFor(urlEqualTo(CHAT)));
    }

    @Test
    void textsSentToAVisionLanguageModelAreRefused() {
        assertThatThrownBy(() -> open().infer(new InferenceRequested("inf-2", "phone", List.of("hello"), null, null, null)))
                .isInstanceOfSatisfying(InferenceFailure.class, refused -> assertThat(refused.getMessage()).contains("send it an agent step"));
    }
}
