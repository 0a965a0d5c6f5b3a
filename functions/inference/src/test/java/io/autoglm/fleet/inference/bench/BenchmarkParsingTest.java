package io.autoglm.fleet.inference.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the inference benchmark reads from the host: a JDK's version, a process's CPU time. */
class BenchmarkParsingTest {

    @Test
    void theJdkFeatureVersionComesFromItsReleaseFile() {
        assertThat(InferenceBenchmark.javaFeature("IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"25.0.3\"\nJAVA_VERSION_DATE=\"2026-04-21\"\n"))
                .hasValue(25);
        assertThat(InferenceBenchmark.javaFeature("JAVA_VERSION=\"17.0.15\"")).hasValue(17);
        assertThat(InferenceBenchmark.javaFeature("JAVA_VERSION=\"1.8.0_402\"")).hasValue(8);
        assertThat(InferenceBenchmark.javaFeature("JAVA_RUNTIME_VERSION=\"25.0.3+9\"")).isEmpty();
    }

    @Test
    void thisProcessHasSpentCpuTime() {
        assertThat(HttpLoad.cpuNanos(ProcessHandle.current().pid())).isPositive();
        assertThat(HttpLoad.cpuNanos(-1)).isZero();
    }
}
