package io.autoglm.fleet.local;

import io.autoglm.fleet.local.RestartBackoff.GiveUp;
import io.autoglm.fleet.local.RestartBackoff.Restart;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class SupervisorTest {

    private record Scheduled(Duration delay, Runnable task) {
    }

    private final AtomicLong clock = new AtomicLong();
    private final List<String> console = new ArrayList<>();
    private final List<Scheduled> scheduled = new ArrayList<>();
    private final List<String> gaveUp = new ArrayList<>();
    private final List<FakeProcess> started = new ArrayList<>();
    private final List<Integer> restarts = new ArrayList<>();
    private Supervisor supervisor;
    private Path log;

    @BeforeEach
    void supervisor(@TempDir Path logs) throws IOException {
        supervisor = new Supervisor(console::add, (delay, task) -> scheduled.add(new Scheduled(delay, task)), clock::get, gaveUp::add);
        log = logs.resolve("heartbeat.log");
        Files.write(log, IntStream.rangeClosed(1, 25).mapToObj(i -> i == 20 ? "line 20 " + "x".repeat(1000) : "line " + i)
                .collect(Collectors.toList()));
    }

    private StackProcess heartbeat() {
        FakeProcess first = new FakeProcess();
        started.add(first);
        StackProcess process = StackProcess.of("heartbeat", 8123, log, first, () -> {
            FakeProcess next = new FakeProcess();
            started.add(next);
            return next;
        });
        supervisor.supervise(process, new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(30), 2),
                (restarted, count) -> restarts.add(count));
        return process;
    }

    private void runScheduled() {
        List<Scheduled> due = new ArrayList<>(scheduled);
        scheduled.clear();
        due.forEach(s -> s.task().run());
    }

    @Test
    void aKilledProcessIsReportedAtOnceWithItsExitStatusAndTheEndOfItsLogThenStartedAgain() throws IOException {
        StackProcess heartbeat = heartbeat();
        clock.addAndGet(Duration.ofSeconds(60).toNanos());

        started.get(0).exit(137);

        assertThat(console).hasSize(1);
        String report = console.get(0);
        assertThat(report).startsWith("!! heartbeat DIED: exit status 137 (killed by SIGKILL) after 1 min 00 s; the last lines of " + log + ":");
        assertThat(report).contains("   | line 16\n").contains("   | line 25\n").doesNotContain("line 15\n")
                .contains("   | line 20 " + "x".repeat(Supervisor.TAIL_WIDTH - "line 20 ".length()) + " ...\n");
        assertThat(report).endsWith("!! heartbeat: starting it again in 1 s (restart 1)");
        assertThat(scheduled).extracting(Scheduled::delay).containsExactly(Duration.ofSeconds(1));
        assertThat(started).hasSize(1);

        runScheduled();

        assertThat(started).hasSize(2);
        assertThat(heartbeat.process()).isSameAs(started.get(1));
        assertThat(restarts).containsExactly(1);
        assertThat(supervisor.deaths()).singleElement().satisfies(death -> {
            assertThat(death.name()).isEqualTo("heartbeat");
            assertThat(death.exitStatus()).isEqualTo(137);
            // counted from the process's start: the fake clock's minute, plus the moment before it was supervised
            assertThat(death.uptime()).isBetween(Duration.ofSeconds(60), Duration.ofSeconds(61));
            assertThat(death.decision()).isEqualTo(new Restart(Duration.ofSeconds(1), 1));
        });
        assertThat(Files.readString(log)).endsWith(": started again by the local stack (restart 1) ----\n");
    }

    @Test
    void theProcessStartedAgainIsWatchedTooAndRepeatedQuickDeathsEndInGivingUpSaidSo() {
        heartbeat();
        started.get(0).exit(1);
        runScheduled();
        clock.addAndGet(Duration.ofSeconds(3).toNanos());
        started.get(1).exit(1);
        assertThat(scheduled).extracting(Scheduled::delay).containsExactly(Duration.ofSeconds(2));
        runScheduled();
        started.get(2).exit(1);

        assertThat(started).hasSize(3);
        assertThat(scheduled).isEmpty();
        assertThat(gaveUp).containsExactly("heartbeat");
        assertThat(console.get(2)).startsWith("!! heartbeat DIED: exit status 1 after 0.0 s")
                .endsWith("!! heartbeat: NOT starting it again: it died 3 times in a row within 30 s of starting; see " + log);
        assertThat(supervisor.deaths()).extracting(Supervisor.Death::decision).last().isInstanceOf(GiveUp.class);
        assertThat(supervisor.summary()).containsExactly(
                "3 process deaths during the run (so the run's exit status is not 0):",
                "  heartbeat           exit status 1 after 0.0 s; started again (restart 1)",
                "  heartbeat           exit status 1 after 3.0 s; started again (restart 2)",
                "  heartbeat           exit status 1 after 0.0 s; not started again: it died 3 times in a row within 30 s of starting");
    }

    @Test
    void onceTheStackIsStoppingAnExitIsNoDeathAndNothingIsStartedAgain() {
        heartbeat();
        supervisor.stop();

        started.get(0).exit(143);

        assertThat(console).isEmpty();
        assertThat(scheduled).isEmpty();
        assertThat(supervisor.deaths()).isEmpty();
        assertThat(supervisor.summary()).isEmpty();
    }

    @Test
    void aRestartDueWhenTheStackIsAlreadyStoppingStartsNothing() {
        heartbeat();
        started.get(0).exit(137);
        supervisor.stop();

        runScheduled();

        assertThat(started).hasSize(1);
        assertThat(restarts).isEmpty();
    }

    @Test
    void aProcessThatCannotBeStartedAgainIsGivenUpSaidSo() {
        FakeProcess first = new FakeProcess();
        StackProcess sink = StackProcess.of("ingress-sink", 8124, null, first, () -> {
            throw new IOException("Cannot run program \"java\": error=2, No such file or directory");
        });
        supervisor.supervise(sink, RestartBackoff.standard(), (restarted, count) -> restarts.add(count));

        first.exit(1);
        runScheduled();

        assertThat(console).last().isEqualTo("!! ingress-sink: could not start it again (Cannot run program \"java\": error=2, "
                + "No such file or directory); NOT trying again");
        assertThat(gaveUp).containsExactly("ingress-sink");
    }

    @Test
    void exitStatusesSayWhichSignalEndedTheProcess() {
        assertThat(Supervisor.exitStatus(0)).isEqualTo("exit status 0");
        assertThat(Supervisor.exitStatus(3)).isEqualTo("exit status 3");
        assertThat(Supervisor.exitStatus(137)).isEqualTo("exit status 137 (killed by SIGKILL)");
        assertThat(Supervisor.exitStatus(143)).isEqualTo("exit status 143 (killed by SIGTERM)");
        assertThat(Supervisor.exitStatus(134)).isEqualTo("exit status 134 (killed by SIGABRT)");
    }
}
