package io.autoglm.fleet.deviceagent.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeviceAgentCommandTest {

    @TempDir
    Path dir;

    final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine line = new CommandLine(new DeviceAgentCommand());
        line.setErr(new PrintWriter(err, true));
        line.setOut(new PrintWriter(new StringWriter(), true));
        return line.execute(args);
    }

    @Test
    void durationsAreShortOrIso() {
        DeviceAgentCommand.DurationConverter converter = new DeviceAgentCommand.DurationConverter();

        assertThat(converter.convert("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(converter.convert("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(converter.convert("PT1H")).isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> converter.convert("soon")).isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessageContaining("'soon' is not a duration");
    }

    @Test
    void optionsParseIntoTheAgentsSettings() {
        DeviceAgentCommand command = new DeviceAgentCommand();
        new CommandLine(command).parseArgs("--gateway", "ws://gw:8090/devices/v1", "--token", "t", "--hdc", "FMR0223C13000649",
                "--hdc-path", "/opt/hdc", "--label", "lab=bench-3", "--heartbeat-interval", "5s", "--region", "cn-north-1");

        assertThat(command.bridge.hdc).isEqualTo("FMR0223C13000649");
        assertThat(command.bridge.adb).isNull();
        assertThat(command.hdcPath).isEqualTo("/opt/hdc");
        assertThat(command.labels).containsEntry("lab", "bench-3");
        assertThat(command.heartbeatInterval).isEqualTo(Duration.ofSeconds(5));
        assertThat(command.region).isEqualTo("cn-north-1");
    }

    @Test
    void oneBridgeIsNeededAndOnlyOne() {
        assertThat(run("--gateway", "ws://gw/devices/v1")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required argument");
        assertThat(run("--gateway", "ws://gw/devices/v1", "--adb", "a", "--hdc", "b")).isEqualTo(2);
        assertThat(err.toString()).contains("mutually exclusive");
    }

    @Test
    void aGatewayThatIsNoWebSocketIsBadUsage() {
        assertThat(run("--gateway", "http://gw:8090/devices/v1", "--adb", "emulator-5554", "--token", "t")).isEqualTo(2);
        assertThat(err.toString()).contains("the gateway is a ws:// or wss:// URL");
    }

    @Test
    void aPhoneThatCannotBeReachedEndsTheAgentAtOnce() {
        int code = run("--gateway", "ws://127.0.0.1:1/devices/v1", "--adb", "emulator-5554", "--token", "t",
                "--adb-path", dir.resolve("no-adb").toString(), "--state-dir", dir.resolve("state").toString());

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("cannot reach the phone: '" + dir.resolve("no-adb") + " -s emulator-5554 shell wm size': cannot start");
    }
}
