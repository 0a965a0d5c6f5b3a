package io.autoglm.fleet.local;

import io.autoglm.fleet.pulsar.local.PulsarStandalone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code kill -9} of a real child process: reported with its exit status and log, started again, ready again. */
class SupervisorIT {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final BlockingQueue<String> console = new LinkedBlockingQueue<>();
    private StackProcess child;
    private Supervisor supervisor;

    @AfterEach
    void stop() {
        supervisor.stop();
        scheduler.shutdownNow();
        if (child != null) {
            child.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void aProcessKilledWithSigkillIsReportedThenStartedAgainOnItsPortAndReadyAgain(@TempDir Path logs) throws Exception {
        int port = PulsarStandalone.freePort();
        Path log = logs.resolve("ready-child.log");
        child = StackProcess.start("ready-child", port, StackProcess.java(List.of("-Xmx32m", "-XX:TieredStopAtLevel=1"), Map.of(),
                List.of("-cp", System.getProperty("java.class.path"), ReadyChild.class.getName(), Integer.toString(port))), Map.of(), logs, log);
        assertThat(child.awaitHealthy("/q/health/ready", Duration.ofSeconds(30))).isTrue();
        long firstPid = child.process().pid();
        CompletableFuture<Boolean> readyAgain = new CompletableFuture<>();
        supervisor = new Supervisor(console::add, (delay, task) -> scheduler.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS),
                System::nanoTime, name -> console.add("gave up " + name));
        supervisor.supervise(child, RestartBackoff.standard(), (restarted, count) -> CompletableFuture.runAsync(() -> {
            try {
                readyAgain.complete(restarted.awaitHealthy("/q/health/ready", Duration.ofSeconds(30)));
            } catch (InterruptedException e) {
                readyAgain.completeExceptionally(e);
            }
        }));

        int kill = new ProcessBuilder("kill", "-9", Long.toString(firstPid)).inheritIO().start().waitFor();

        assertThat(kill).isZero();
        String report = console.poll(30, TimeUnit.SECONDS);
        assertThat(report).startsWith("!! ready-child DIED: exit status 137 (killed by SIGKILL) after ")
                .contains("   | ready-child listening on " + port + " as pid " + firstPid)
                .endsWith("!! ready-child: starting it again in 1 s (restart 1)");
        assertThat(readyAgain.get(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.alive()).isTrue();
        assertThat(child.process().pid()).isNotEqualTo(firstPid);
        assertThat(supervisor.summary()).hasSize(2).last().asString()
                .contains("ready-child").contains("exit status 137 (killed by SIGKILL)").contains("started again (restart 1)");
    }
}
