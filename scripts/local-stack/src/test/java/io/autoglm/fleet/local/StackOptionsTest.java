package io.autoglm.fleet.local;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StackOptionsTest {

    @Test
    void defaultsAreTwoHundredDevicesOfTwoTenantsUntilStopped() {
        StackOptions options = StackOptions.parse(new String[0]);
        assertThat(options.devices()).isEqualTo(200);
        assertThat(options.tenants()).containsExactly("acme", "globex");
        assertThat(options.duration()).isEmpty();
        assertThat(options.simulate()).isTrue();
    }

    @Test
    void readsEveryOption() {
        StackOptions options = StackOptions.parse(new String[] {"--devices", "50", "--tenants", "a,b,c", "--duration", "90s",
                "--seed", "7", "--no-simulator", "--rebuild", "--commands-per-second", "300", "--answer-at-once", "--warm-up", "1m",
                "--tasks-per-minute", "6"});
        assertThat(options).isEqualTo(new StackOptions(50, List.of("a", "b", "c"), java.util.Optional.of(Duration.ofSeconds(90)), false, 7,
                java.util.Optional.of(300.0), true, java.util.Optional.of(Duration.ofMinutes(1)),
                new StackOptions.AgentModel("autoglm-sim", java.util.Optional.empty(), java.util.Optional.empty(), 18765), 6.0));
        assertThat(options.tasksPerMinute(false)).isEqualTo(6.0);
        assertThat(StackOptions.parse(new String[0]).tasksPerMinute(true)).as("with the agent function").isEqualTo(2.0);
        assertThat(StackOptions.parse(new String[0]).tasksPerMinute(false)).as("without it").isZero();
        assertThat(StackOptions.duration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(StackOptions.duration("PT2M")).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void theAgentModelIsTheSimulatedOneUnlessARealBackendIsNamed() throws Exception {
        StackOptions.AgentModel simulated = StackOptions.parse(new String[] {"--agent-model-port", "19000"}).agentModel();
        assertThat(simulated.simulated()).isTrue();
        assertThat(simulated.name()).isEqualTo("autoglm-sim");
        assertThat(simulated.baseUrl()).hasToString("http://127.0.0.1:19000/v1");

        StackOptions.AgentModel real = StackOptions.parse(new String[] {"--agent-model-url", "http://gpu-box:8000/v1/", "--agent-model",
                "autoglm-phone-9b", "--agent-model-key-env", "VLLM_API_KEY"}).agentModel();
        assertThat(real.simulated()).isFalse();
        assertThat(real.baseUrl()).hasToString("http://gpu-box:8000/v1");
        com.fasterxml.jackson.databind.JsonNode manifest = new com.fasterxml.jackson.databind.ObjectMapper().readTree(real.manifest());
        assertThat(manifest.path("name").asText()).isEqualTo("autoglm-phone-9b");
        assertThat(manifest.path("format").asText()).isEqualTo("remote");
        assertThat(manifest.path("remote").path("baseUrl").asText()).isEqualTo("http://gpu-box:8000/v1");
        assertThat(manifest.path("remote").path("servedModel").asText()).isEqualTo("autoglm-phone-9b");
        assertThat(manifest.path("remote").path("credential").path("env").asText()).isEqualTo("VLLM_API_KEY");
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(simulated.manifest()).path("remote").has("credential")).isFalse();

        assertThatThrownBy(() -> StackOptions.parse(new String[] {"--agent-model-url", "http://gpu-box:8000/v1"}))
                .hasMessageContaining("--agent-model-url needs --agent-model");
        assertThatThrownBy(() -> StackOptions.parse(new String[] {"--agent-model", "m"})).hasMessageContaining("give its --agent-model-url too");
        assertThatThrownBy(() -> StackOptions.parse(new String[] {"--agent-model-url", "gpu-box:8000", "--agent-model", "m"}))
                .hasMessageContaining("http(s)://host:port/v1");
        assertThatThrownBy(() -> StackOptions.parse(new String[] {"--agent-model-url", "http://gpu-box/v1", "--agent-model", "m",
                "--agent-model-key-env", "sk-123-secret"})).hasMessageContaining("not the key itself");
        assertThatThrownBy(() -> StackOptions.parse(new String[] {"--agent-model-port", "70000"})).hasMessageContaining("1-65535");
    }

    @Test
    void aMistakeSaysWhatIsExpected() {
        assertThatThrownBy(() -> StackOptions.parse(new String[] {"--devices", "many"})).hasMessageContaining("whole number > 0, got 'many'");
        assertThatThrownBy(() -> StackOptions.parse(new String[] {"--duration", "soon"})).hasMessageContaining("90s, 5m, 1h or PT2M");
        assertThatThrownBy(() -> StackOptions.parse(new String[] {"--commands-per-second", "-1"})).hasMessageContaining("a number >= 0, got '-1'");
        assertThatThrownBy(() -> StackOptions.parse(new String[] {"--devise", "5"})).hasMessageContaining("unknown option --devise")
                .hasMessageContaining("Usage: scripts/run-local");
    }
}
