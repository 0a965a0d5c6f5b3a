package io.autoglm.fleet.simulator.agent;

import io.autoglm.fleet.events.agent.ActionGrammar;
import io.autoglm.fleet.events.agent.AgentTurn;
import io.autoglm.fleet.events.agent.ScreenshotRef;
import io.autoglm.fleet.events.agent.StepAction;
import io.autoglm.fleet.events.inference.AgentStep;
import io.autoglm.fleet.events.inference.AgentStepResult;
import io.autoglm.fleet.events.inference.InferenceCompleted;
import io.autoglm.fleet.events.inference.InferenceRequested;
import io.autoglm.fleet.inference.remote.RemoteVersion;
import io.autoglm.fleet.modelstore.ModelManifest;
import io.autoglm.fleet.modelstore.RemoteBackend;
import io.autoglm.fleet.simulator.phone.SimulatedPhone;
import io.autoglm.fleet.simulator.phone.SimulatedScreenshot;
import io.autoglm.fleet.simulator.phone.Widget;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The inference function's own remote-backend client (RemoteVersion: the request as ChatRequests builds it, streamed, read
 * by ChatReply and the action grammar) against the simulated model: the path the local stack runs, end to end.
 */
class RealInferenceClientTest {

    @TempDir
    Path dir;
    private AgentModelEndpoint endpoint;
    private RemoteVersion version;

    @AfterEach
    void stop() {
        if (version != null) {
            version.close();
        }
        if (endpoint != null) {
            endpoint.close();
        }
    }

    private RemoteVersion open(double badReplies) {
        endpoint = AgentModelEndpoint.start(0, new SimulatedAgentModel(badReplies, 1), new ModelLatency(Duration.ofMillis(20), Duration.ofMillis(60)), 1);
        RemoteBackend backend = new RemoteBackend("openai-chat", endpoint.baseUrl(), SimulatedAgentModel.NAME, null, null,
                new RemoteBackend.Timeouts(2_000, 5_000, 10_000), 4, 4, new RemoteBackend.Retry(1, 10, 10));
        version = RemoteVersion.open(ModelManifest.remoteDraft("phone-agent", backend, "the simulated agent model")
                .published(1, List.of(), Instant.parse("2026-12-01T00:00:00Z")), Map.of());
        return version;
    }

    private AgentStepResult step(String instruction, List<AgentTurn> history, SimulatedPhone phone, int n) throws Exception {
        byte[] png = phone.screenshot();
        Path file = Files.write(dir.resolve("step-" + n + ".png"), png);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(png));
        AgentStep step = new AgentStep("task-1", instruction, history, new ScreenshotRef(file.toUri(), sha256, SimulatedScreenshot.WIDTH,
                SimulatedScreenshot.HEIGHT), phone.currentApp(), "en");
        InferenceCompleted completed = version.infer(new InferenceRequested("inf-" + n, "phone-agent", null, null, null, null, step))
                .get(10, TimeUnit.SECONDS);
        return completed.agent();
    }

    @Test
    void theRealClientDrivesASimulatedPhoneToTheGoalStepByStep() throws Exception {
        open(0);
        SimulatedPhone phone = new SimulatedPhone();
        String instruction = "send a message to Alice saying hi";
        List<AgentTurn> history = new ArrayList<>();
        AgentStepResult result = null;
        for (int n = 0; n < 12; n++) {
            result = step(instruction, history, phone, n);
            assertThat(result.unparseable()).isNull();
            assertThat(result.promptTokens()).isPositive();
            assertThat(result.completionTokens()).isPositive();
            assertThat(result.firstTokenMs()).isPositive().isLessThanOrEqualTo(result.totalMs());
            if (result.action().ends()) {
                break;
            }
            history.add(new AgentTurn(phone.currentApp(), ActionGrammar.formatTurn(result.thinking(), result.action())));
            StepsOnPhone.carryOut(result.action(), phone);
        }

        assertThat(result.action()).isEqualTo(new StepAction.Finish("Sent \"hi\" to Alice."));
        assertThat(phone.screen().widgets()).filteredOn(widget -> widget.kind() == Widget.Kind.TEXT).last().extracting(Widget::label)
                .isEqualTo("Me: hi");
        assertThat(history).hasSize(5); // launch, the conversation, the field, type, send
        assertThat(endpoint.replies()).isEqualTo(6);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"Buy a pair of running shoes in the shop", "在商城买一个 Phone case"})
    void aPurchaseThroughTheRealClientAsksForTheSignInAndMarksThePaymentSensitive(String instruction) throws Exception {
        open(0);
        SimulatedPhone phone = new SimulatedPhone();
        List<AgentTurn> history = new ArrayList<>();
        List<StepAction> actions = new ArrayList<>();
        for (int n = 0; n < 20; n++) {
            AgentStepResult result = step(instruction, history, phone, n);
            assertThat(result.unparseable()).as("step %d: %s", n, result.raw()).isNull();
            actions.add(result.action());
            if (result.action().ends()) {
                break;
            }
            history.add(new AgentTurn(phone.currentApp(), ActionGrammar.formatTurn(result.thinking(), result.action())));
            if (result.action() instanceof StepAction.TakeOver) {
                phone.takeOver(); // the person signs in
            } else {
                StepsOnPhone.carryOut(result.action(), phone);
            }
        }

        assertThat(actions).as("the steps of '%s'", instruction).anyMatch(StepAction.TakeOver.class::isInstance)
                .anyMatch(action -> action instanceof StepAction.Tap tap && tap.sensitiveMessage() != null);
    }

    @Test
    void aDeliberatelyBadReplyReachesTheCallerAsUnparseableWithItsRawText() throws Exception {
        open(1);

        AgentStepResult result = step("turn on wifi", List.of(), new SimulatedPhone(), 0);

        assertThat(result.action()).isNull();
        assertThat(result.unparseable()).isNotBlank();
        assertThat(result.raw()).isNotBlank();
    }
}
