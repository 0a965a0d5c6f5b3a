package io.autoglm.fleet.simulator;

import io.autoglm.fleet.simulator.agent.ModelLatency;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimulatorOptionsTest {

    private static SimulatorOptions parse(String... more) {
        List<String> args = new ArrayList<>(List.of("--sink", "http://127.0.0.1:8080", "--pulsar", "pulsar://127.0.0.1:6650", "--signing-key", "key.pem"));
        args.addAll(List.of(more));
        return SimulatorOptions.parse(args.toArray(String[]::new));
    }

    @Test
    void theSimulatedAgentModelIsOffUnlessGivenAPort() {
        SimulatorOptions options = parse();

        assertThat(options.agentModelPort()).isEmpty();
        assertThat(options.agentModelBadReplies()).isEqualTo(0.05);
        assertThat(options.agentModelLatency()).isEqualTo(ModelLatency.DEFAULT);
    }

    @Test
    void itsPortShareOfBadRepliesAndLatencyAreOptions() {
        SimulatorOptions options = parse("--agent-model-port", "8091", "--agent-model-bad-replies", "0.2", "--agent-model-first-token", "PT0.1S",
                "--agent-model-total", "PT0.5S");

        assertThat(options.agentModelPort()).hasValue(8091);
        assertThat(options.agentModelBadReplies()).isEqualTo(0.2);
        assertThat(options.agentModelLatency()).isEqualTo(new ModelLatency(Duration.ofMillis(100), Duration.ofMillis(500)));
    }

    @Test
    void theAgentModelAloneNeedsItsPortAndNoSink() {
        SimulatorOptions options = SimulatorOptions.parse(new String[] {"--agent-model-only", "--agent-model-port", "18765"});

        assertThat(options.agentModelOnly()).isTrue();
        assertThat(options.agentModelPort()).hasValue(18765);
        assertThat(parse().agentModelOnly()).isFalse();
        assertThatThrownBy(() -> SimulatorOptions.parse(new String[] {"--agent-model-only"})).hasMessageContaining("--agent-model-port");
        assertThatThrownBy(() -> SimulatorOptions.parse(new String[] {"--devices", "5"})).hasMessageContaining("--sink");
    }

    @Test
    void valuesThatMakeNoSenseAreRefused() {
        assertThatThrownBy(() -> parse("--agent-model-bad-replies", "1.5")).hasMessageContaining("0 to 1");
        assertThatThrownBy(() -> parse("--agent-model-port", "0")).hasMessageContaining("1-65535");
        assertThatThrownBy(() -> parse("--agent-model-first-token", "PT2S", "--agent-model-total", "PT1S")).hasMessageContaining("first token");
    }

    @Test
    void aRoundTripMeasurementSetsTheCommandRateDevicesThatAnswerAtOnceAndAWarmUp() {
        SimulatorOptions plain = parse();
        assertThat(plain.commandsPerSecond()).isEmpty();
        assertThat(plain.answerAtOnce()).isFalse();
        assertThat(plain.warmUp()).isEmpty();

        SimulatorOptions measured = parse("--commands-per-second", "300", "--answer-at-once", "--warm-up", "PT1M", "--devices", "400");

        assertThat(measured.commandsPerSecond()).hasValue(300.0);
        assertThat(measured.answerAtOnce()).isTrue();
        assertThat(measured.warmUp()).contains(Duration.ofMinutes(1));
        assertThat(measured.devices()).isEqualTo(400);
    }
}
