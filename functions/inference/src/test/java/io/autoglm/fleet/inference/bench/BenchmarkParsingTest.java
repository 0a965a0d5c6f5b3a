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
    void cpuTimeIsUserPlusSystemTicksAfterTheCommandName() {
        // a command name with a space and a parenthesis; utime 150 and stime 25 ticks of 10 ms
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 30000 0 0 0 150 25 0 0 20 0 40 0 1000 5000000 20000";
        assertThat(HttpLoad.cpuNanos(stat)).isEqualTo(1_750_000_000L);
    }

    @Test
    void thisProcessHasSpentCpuTime() {
        assertThat(HttpLoad.cpuNanos(ProcessHandle.current().pid())).isPositive();
        assertThat(HttpLoad.cpuNanos(-1)).isZero();
    }
}
