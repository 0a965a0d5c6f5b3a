package io.autoglm.fleet.deviceagent.backend;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandRunnerTest {

    @TempDir
    Path dir;

    @Test
    void capturesStdoutAsBytesStderrAsTextAndTheExitCode() throws Exception {
        CommandResult result = new CommandRunner().run(
                List.of("bash", "-c", "printf '\\x89PNG\\x00\\xff'; echo oops >&2; exit 3"), Duration.ofSeconds(10));

        assertThat(result.stdout()).containsExactly(0x89, 'P', 'N', 'G', 0x00, 0xff);
        assertThat(result.stderr()).isEqualTo("oops\n");
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.succeeded()).isFalse();
        assertThat(result.command()).containsExactly("bash", "-c", "printf '\\x89PNG\\x00\\xff'; echo oops >&2; exit 3");
    }

    @Test
    void setsTheChildsEnvironmentSoAFakeToolComesFirstOnThePath() throws Exception {
        FakeBridge adb = FakeBridge.install(dir, "adb").answer("shell getprop ro.product.model", "Pixel 8\n");

        CommandResult result = adb.runner().run(List.of("adb", "-s", "SER123", "shell", "getprop", "ro.product.model"), Duration.ofSeconds(10));

        assertThat(result.stdoutText()).isEqualTo("Pixel 8\n");
        assertThat(adb.invocations()).containsExactly(List.of(adb.executable().toString(), "-s", "SER123", "shell", "getprop", "ro.product.model"));
    }

    @Test
    void aToolThatDoesNotAnswerInTimeIsKilledAndTheDeviceUnreachable() {
        long started = System.nanoTime();

        assertThatThrownBy(() -> new CommandRunner().run(List.of("sleep", "20"), Duration.ofMillis(200)))
                .isInstanceOf(DeviceUnreachableException.class)
                .hasMessageContaining("'sleep 20'")
                .hasMessageContaining("no answer within 200 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aMissingToolIsAnUnreachableDeviceNamingTheCommand() {
        CommandRunner runner = new CommandRunner(Map.of("PATH", dir.toString()), null);

        assertThatThrownBy(() -> runner.run(List.of("adb-that-is-not-installed", "devices"), Duration.ofSeconds(5)))
                .isInstanceOf(DeviceUnreachableException.class)
                .hasMessageContaining("'adb-that-is-not-installed devices'")
                .hasMessageContaining("cannot start adb-that-is-not-installed");
    }
}
