package io.autoglm.fleet.inference.engine;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.autoglm.fleet.inference.engine.ExecutionProvider.CPU;
import static io.autoglm.fleet.inference.engine.ExecutionProvider.CUDA;
import static io.autoglm.fleet.inference.engine.ExecutionProvider.TENSORRT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EngineSelectorTest {

    private final List<String> log = new ArrayList<>();

    @Test
    void withoutAGpuItFallsBackToTheCpuAndSaysWhyAtEachStep() {
        EngineSelector.Selection<String> selection = EngineSelector.select("m@1", List.of(TENSORRT, CUDA, CPU), provider -> {
            if (provider != CPU) {
                throw new IllegalStateException("Failed to find " + provider + " shared provider\nnative detail");
            }
            return "session on cpu";
        }, log::add);

        assertThat(selection.provider()).isEqualTo(CPU);
        assertThat(selection.loaded()).isEqualTo("session on cpu");
        assertThat(selection.fallbacks()).containsExactly(
                "tensorrt unavailable for m@1 (IllegalStateException: Failed to find TENSORRT shared provider)",
                "cuda unavailable for m@1 (IllegalStateException: Failed to find CUDA shared provider)");
        assertThat(log).containsExactly(
                "tensorrt unavailable for m@1 (IllegalStateException: Failed to find TENSORRT shared provider); trying cuda",
                "cuda unavailable for m@1 (IllegalStateException: Failed to find CUDA shared provider); trying cpu");
    }

    @Test
    void theFirstProviderThatLoadsWinsAndTheRestAreNotTried() {
        List<ExecutionProvider> tried = new ArrayList<>();
        EngineSelector.Selection<ExecutionProvider> selection = EngineSelector.select("m@1", List.of(TENSORRT, CUDA, CPU), provider -> {
            tried.add(provider);
            return provider;
        }, log::add);
        assertThat(selection.provider()).isEqualTo(TENSORRT);
        assertThat(tried).containsExactly(TENSORRT);
        assertThat(log).isEmpty();
    }

    @Test
    void aLinkageErrorOfANativeProviderIsAFallbackNotACrash() {
        assertThat(EngineSelector.select("m@1", List.of(CUDA, CPU), provider -> {
            if (provider == CUDA) {
                throw new UnsatisfiedLinkError("libcudart.so.12: cannot open shared object file");
            }
            return provider;
        }, log::add).provider()).isEqualTo(CPU);
    }

    @Test
    void whenNothingLoadsEveryReasonIsInTheError() {
        assertThatThrownBy(() -> EngineSelector.select("m@1", List.of(CUDA, CPU), provider -> {
            throw new IllegalStateException("no " + provider);
        }, log::add)).isInstanceOf(EngineSelector.EngineUnavailableException.class)
                .hasMessage("m@1 could not be loaded on any execution provider: cuda unavailable for m@1 (IllegalStateException: no CUDA); "
                        + "cpu unavailable for m@1 (IllegalStateException: no CPU)");
    }

    @Test
    void gpuArchitecturesAreNamedByComputeCapability() {
        assertThat(GpuArchitecture.fromComputeCapability("9.0\n")).contains("sm90");
        assertThat(GpuArchitecture.fromComputeCapability("8.9")).contains("sm89");
        assertThat(GpuArchitecture.fromComputeCapability("N/A")).isEmpty();
    }
}
