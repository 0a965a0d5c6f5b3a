package io.autoglm.fleet.local;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class LocalStackTest {

    private static final Path RUN_LOCAL = Path.of("../../scripts/run-local");

    @Test
    void everyServiceOfTheStackListensOnLoopbackOnly() {
        assertThat(LocalStack.service(8123, "pulsar://127.0.0.1:6650"))
                .containsEntry("quarkus.http.host", "127.0.0.1")
                .containsEntry("quarkus.http.port", "8123")
                .containsEntry("autoglm.pulsar.service-url", "pulsar://127.0.0.1:6650");
    }

    @Test
    void whatMavenPrintsInRunLocalReachesAPipeWithoutEscapeCodes() throws Exception {
        // Maven 3.8 ends even a batch-mode, colourless run with ESC[0m on each stream
        List<String> function = Files.readAllLines(RUN_LOCAL).stream().filter(line -> line.startsWith("strip_ansi()")).toList();
        assertThat(function).as("strip_ansi in %s", RUN_LOCAL).hasSize(1);

        Process bash = new ProcessBuilder("bash", "-c", function.get(0) + "\nprintf 'Building\\033[0m\\033[0m\\n\\033[1;31mERROR\\033[m x\\n' | strip_ansi")
                .redirectErrorStream(true).start();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(output).isEqualTo("Building\nERROR x\n");
    }
}
