package io.autoglm.fleet.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.autoglm.fleet.events.EventFamily;
import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.agent.RelativePoint;
import io.autoglm.fleet.events.agent.ScreenshotRef;
import io.autoglm.fleet.events.agent.StepAction;
import io.autoglm.fleet.events.inference.AgentStep;
import io.autoglm.fleet.events.inference.InferenceCompleted;
import io.autoglm.fleet.events.inference.InferenceRequested;
import io.autoglm.fleet.events.testing.PulsarEndpoints;
import io.autoglm.fleet.events.testing.RealPulsarExtension;
import io.autoglm.fleet.modelstore.FileSystemBackend;
import io.autoglm.fleet.modelstore.ModelDraft;
import io.autoglm.fleet.modelstore.ModelManifest;
import io.autoglm.fleet.modelstore.ModelStore;
import io.autoglm.fleet.modelstore.ProgressListener;
import io.autoglm.fleet.modelstore.RemoteBackend;
import io.autoglm.fleet.triggers.dispatch.HttpSubscriberClient;
import io.autoglm.fleet.triggers.testing.TopicReader;
import io.cloudevents.CloudEvent;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An agent step through the real broker and dispatcher: an {@code inference.requested} with a phone agent's step goes
 * to the router (no device serves the model: the cloud tier), then to the inference function serving a remote
 * version (WireMock playing vLLM), and its {@code inference.completed} carries the parsed action.
 */
@ExtendWith(RealPulsarExtension.class)
class AgentStepIT {

    private static final String SERVED = "autoglm-phone-9b";

    @TempDir
    Path dir;

    @Test
    void anAgentStepIsRoutedToTheCloudTierAndAnsweredWithTheParsedAction(PulsarEndpoints endpoints) throws Exception {
        WireMockServer vllm = new WireMockServer(options().dynamicPort());
        vllm.start();
        Vertx vertx = Vertx.vertx();
        try {
            vllm.stubFor(get(urlEqualTo("/v1/models")).willReturn(aResponse().withBody("{\"data\":[{\"id\":\"" + SERVED + "\"}]}")));
            vllm.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withHeader("Content-Type", "text/event-stream")
                    .withBody("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"<think>the send button</think>\"}}]}\n\n"
                            + "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"<answer>do(action=\\\"Tap\\\", element=[870,930])</answer>\"},"
                            + "\"finish_reason\":\"stop\"}]}\n\n"
                            + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":1800,\"completion_tokens\":20}}\n\ndata: [DONE]\n\n")));
            Path key = Files.writeString(dir.resolve("vllm-key"), "sk-local\n");
            ModelStore store = ModelStore.of(new FileSystemBackend(dir.resolve("store")));
            RemoteBackend backend = new RemoteBackend("openai-chat", URI.create(vllm.baseUrl() + "/v1"), SERVED,
                    new RemoteBackend.Credential(null, key.toString()), null, null, 4, 8, null);
            store.publish(new ModelDraft(ModelManifest.remoteDraft("phone", backend, "vLLM on loopback"), Map.of()), null, ProgressListener.NONE);
            store.promote("phone", "stable", 1);
            java.io.ByteArrayOutputStream image = new java.io.ByteArrayOutputStream();
            javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(108, 240, java.awt.image.BufferedImage.TYPE_INT_RGB), "png", image);
            byte[] png = image.toByteArray();
            Path screen = Files.write(dir.resolve("screen.png"), png);

            try (AgentPlane plane = new AgentPlane(endpoints)) {
                Map<String, String> settings = Map.of("autoglm.pulsar.service-url", endpoints.serviceUrl(),
                        "autoglm.pulsar.namespace", plane.topics.namespace());
                Map<String, String> inference = new java.util.HashMap<>(settings);
                inference.putAll(Map.of("autoglm.inference.store", dir.resolve("store").toString(), "autoglm.inference.models", "phone",
                        "autoglm.inference.providers", "cpu"));
                try (FunctionProcess router = FunctionProcess.start("router", settings, FleetScenario.REPORT.resolve("logs-agent"));
                        FunctionProcess served = FunctionProcess.start("inference", inference, FleetScenario.REPORT.resolve("logs-agent"))) {
                    plane.dispatch(List.of("router", "inference"), Map.of("router", router.url(), "inference", served.url()),
                            trigger -> new HttpSubscriberClient(vertx, 4, Duration.ofSeconds(30)));
                    String tenant = "agents";
                    InferenceRequested step = new InferenceRequested("step-1", "phone@stable", null, null, null, null,
                            new AgentStep("task-1", "给张三发消息：今晚七点见", List.of(),
                                    new ScreenshotRef(screen.toUri(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(png)), 108, 240),
                                    "微信", "zh"));
                    plane.publisher.publish(Events.newEvent(EventType.INFERENCE_REQUESTED, URI.create("/tasks/task-1"), tenant, "phone-1", step)
                            .withId("step-1").build()).get();

                    List<CloudEvent> answers = TopicReader.events(plane.client, plane.topics.events(tenant, EventFamily.INFERENCE),
                            events -> events.stream().anyMatch(e -> e.getType().equals(EventType.INFERENCE_COMPLETED.type())), Duration.ofSeconds(90));
                    InferenceCompleted completed = answers.stream().filter(e -> e.getType().equals(EventType.INFERENCE_COMPLETED.type()))
                            .map(e -> Events.payload(e, InferenceCompleted.class)).findFirst().orElseThrow();
                    assertThat(completed.requestId()).isEqualTo("step-1");
                    assertThat(completed.engine()).isEqualTo("remote");
                    assertThat(completed.agent().action()).isEqualTo(new StepAction.Tap(new RelativePoint(870, 930), null));
                    assertThat(completed.agent().thinking()).isEqualTo("the send button");
                    assertThat(completed.agent().promptTokens()).isEqualTo(1800);

                    JsonNode sent = EventJson.mapper().readTree(vllm.getAllServeEvents().stream()
                            .filter(e -> e.getRequest().getUrl().equals("/v1/chat/completions")).findFirst().orElseThrow().getRequest().getBodyAsString());
                    assertThat(sent.path("messages").path(1).path("content").path(1).path("text").asText())
                            .isEqualTo("给张三发消息：今晚七点见\n\n{\"current_app\": \"微信\"}");
                    assertThat(vllm.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().equals("/v1/chat/completions"))
                            .findFirst().orElseThrow().getRequest().getHeader("Authorization")).isEqualTo("Bearer sk-local");
                }
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
            vllm.stop();
        }
    }

    /** The broker side of a control plane, for the router and inference Triggers only. */
    private static final class AgentPlane extends ControlPlane {
        AgentPlane(PulsarEndpoints endpoints) throws Exception {
            super(endpoints);
        }

        @Override
        double messagesPerHeartbeat() {
            return 0;
        }

        @Override
        String heartbeatCounters() {
            return "";
        }

        @Override
        Map<String, Long> residentMegabytes() {
            return Map.of();
        }

        @Override
        String describe() {
            return "router and inference functions as processes";
        }
    }
}
