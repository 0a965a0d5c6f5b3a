package io.autoglm.fleet.local;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ResourceUseTest {

    @Test
    void aProcessCpuTimeCountsFromTheWindowAndItsRssIsSeen() {
        ResourceUse resources = new ResourceUse();
        ProcessHandle self = ProcessHandle.current();
        resources.sample("self", self);
        resources.startWindow();
        long spin = System.nanoTime() + 200_000_000L;
        double sink = 0;
        while (System.nanoTime() < spin) {
            sink += Math.sqrt(sink + 1);
        }
        resources.sample("self", self);

        ResourceUse.Usage usage = resources.usage().get(0);
        assertThat(sink).isPositive();
        assertThat(usage.name()).isEqualTo("self");
        assertThat(usage.cpuSeconds()).isGreaterThan(0.05).isLessThan(60);
        assertThat(usage.rssBytes()).isGreaterThan(10L << 20);
        assertThat(usage.maxRssBytes()).isGreaterThanOrEqualTo(usage.rssBytes());

        List<String> report = resources.report(10, java.util.Set.of("fleet-simulator", "agent-model"));
        assertThat(report.get(1)).startsWith("  self").contains("CPU").contains("MiB");
        assertThat(report.get(2)).contains("CPU-seconds per device-minute (10 devices)");
    }
}
