package io.autoglm.fleet.deviceagent.cli;

import io.autoglm.fleet.deviceagent.backend.ActionPacing;
import io.autoglm.fleet.deviceagent.backend.AdbBackend;
import io.autoglm.fleet.deviceagent.backend.BackendException;
import io.autoglm.fleet.deviceagent.backend.BridgeOptions;
import io.autoglm.fleet.deviceagent.backend.CommandRunner;
import io.autoglm.fleet.deviceagent.backend.DeviceBackend;
import io.autoglm.fleet.deviceagent.backend.HdcBackend;
import io.autoglm.fleet.deviceagent.backend.ScreenSize;
import io.autoglm.fleet.deviceagent.backend.Sleeper;
import io.autoglm.fleet.deviceagent.protocol.AgentSettings;
import io.autoglm.fleet.deviceagent.protocol.AgentStoppedException;
import io.autoglm.fleet.deviceagent.protocol.Declarations;
import io.autoglm.fleet.deviceagent.protocol.DeviceAgent;
import io.autoglm.fleet.deviceagent.protocol.JdkGatewayConnector;
import io.autoglm.fleet.deviceagent.protocol.StateDirectory;
import io.autoglm.fleet.events.device.Location;
import io.autoglm.fleet.events.device.NetworkType;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code device-agent}: joins one phone to a fleet. It reaches the phone over ADB (Android) or HDC
 * (HarmonyOS) and the fleet over one WebSocket to a device gateway, and runs until stopped. Exit codes:
 * 0 stopped (Ctrl-C), 1 the agent gave up (token or declaration refused, phone unreachable at start),
 * 2 bad usage.
 */
@Command(name = "device-agent", mixinStandardHelpOptions = true, version = "device-agent " + Declarations.AGENT_VERSION,
        sortOptions = false,
        description = "Joins one phone to an AutoGLM fleet: declares it to the device gateway, heartbeats, and executes "
                + "the Open-AutoGLM actions the fleet sends it (over ADB for Android, HDC for HarmonyOS).",
        footer = {"", "Exit codes: 0 stopped, 1 the agent gave up (see the last line it printed), 2 bad usage.",
                "Environment: AUTOGLM_ENROLMENT_TOKEN (the default --token).",
                "Example:", "  device-agent --gateway ws://localhost:8090/devices/v1 --token \"$TOKEN\" --adb emulator-5554"})
public final class DeviceAgentCommand implements Callable<Integer> {

    @Option(names = "--gateway", required = true, paramLabel = "URL",
            description = "The device gateway's socket, ws:// or wss://, e.g. ws://localhost:8090/devices/v1.")
    URI gateway;

    @Option(names = "--token", paramLabel = "JWT", defaultValue = "${env:AUTOGLM_ENROLMENT_TOKEN}",
            description = "The tenant's enrolment token, to register the phone. Not needed once the state directory holds a device credential.")
    String token;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Bridge bridge;

    static final class Bridge {
        @Option(names = "--adb", paramLabel = "SERIAL", description = "An Android phone, by its serial in 'adb devices' (ip:port for Wi-Fi).")
        String adb;

        @Option(names = "--hdc", paramLabel = "SERIAL", description = "A HarmonyOS phone, by its serial in 'hdc list targets'.")
        String hdc;
    }

    @Option(names = "--adb-path", paramLabel = "PATH", defaultValue = "adb", description = "The adb executable (default: adb on the PATH).")
    String adbPath;

    @Option(names = "--hdc-path", paramLabel = "PATH", defaultValue = "hdc", description = "The hdc executable (default: hdc on the PATH).")
    String hdcPath;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where the agent keeps its device credential and the commands it has taken (default: ~/.autoglm/device-agent/<serial>).")
    Path stateDir;

    @Option(names = "--tenant", description = "The tenant to declare for (default: the enrolment token's 'tenant' claim).")
    String tenant;

    @Option(names = "--region", defaultValue = "local", description = "The region the phone is declared in (default: ${DEFAULT-VALUE}).")
    String region;

    @Option(names = "--zone", description = "The zone within the region, if any.")
    String zone;

    @Option(names = "--network", defaultValue = "WIFI", description = "The phone's link: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    NetworkType network;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A label to declare (repeatable), e.g. --label lab=bench-3.")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(names = "--heartbeat-interval", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "Time between heartbeats: 10s, 500ms, PT1M (default: ${DEFAULT-VALUE}).")
    Duration heartbeatInterval;

    @Option(names = "--waiting-commands", defaultValue = "4",
            description = "Commands that may wait behind the running one; more are declined as busy (default: ${DEFAULT-VALUE}).")
    int waitingCommands;

    @Option(names = "--tool-timeout", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "Longest an adb/hdc call may take before the phone counts as unreachable (default: ${DEFAULT-VALUE}).")
    Duration toolTimeout;

    @Option(names = "--no-pauses", description = "Do not wait for the screen to settle after each action (Open-AutoGLM waits about 1 s).")
    boolean noPauses;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$-7s %5$s%6$s%n");
        System.exit(new CommandLine(new DeviceAgentCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        AgentSettings settings;
        try {
            AgentSettings defaults = AgentSettings.defaults(gateway, blankToNull(token), new Location(region, zone));
            settings = new AgentSettings(gateway, blankToNull(token), tenant, new Location(region, zone), network, labels,
                    heartbeatInterval, waitingCommands, defaults.rememberedCommands(), defaults.registrationTimeout(),
                    defaults.backoffBase(), defaults.backoffCap());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        DeviceBackend backend = backend();
        try {
            ScreenSize screen = backend.screenSize();
            err.println("phone " + backend.serial() + ": " + backend.platform() + ", screen " + screen);
        } catch (BackendException e) {
            err.println("cannot reach the phone: " + e.getMessage());
            return 1;
        }
        Path state = stateDir != null ? stateDir
                : Path.of(System.getProperty("user.home"), ".autoglm", "device-agent", backend.serial().replaceAll("[^A-Za-z0-9._-]", "_"));
        DeviceAgent agent;
        try {
            agent = new DeviceAgent(settings, backend, new JdkGatewayConnector(Duration.ofSeconds(10)), new StateDirectory(state),
                    Clock.systemUTC(), bound -> ThreadLocalRandom.current().nextLong(bound + 1));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(agent::close, "device-agent-shutdown"));
        err.println("state in " + state + "; connecting to " + gateway);
        err.flush();
        try {
            agent.start().get();
            return 0;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AgentStoppedException stopped) {
                err.println("device-agent stopped: " + stopped.getMessage());
                return 1;
            }
            throw e;
        } finally {
            agent.close();
        }
    }

    private DeviceBackend backend() {
        boolean android = bridge.adb != null;
        BridgeOptions options = new BridgeOptions(android ? adbPath : hdcPath, android ? bridge.adb : bridge.hdc, new CommandRunner(),
                toolTimeout, noPauses ? ActionPacing.NONE : ActionPacing.OPEN_AUTOGLM, Sleeper.REAL);
        return android ? new AdbBackend(options) : new HdcBackend(options);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** {@code 10s}, {@code 500ms}, {@code 2m}, or ISO-8601 ({@code PT10S}). */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

        @Override
        public Duration convert(String value) {
            Matcher matcher = SHORT.matcher(value.strip().toLowerCase(Locale.ROOT));
            if (matcher.matches()) {
                long amount = Long.parseLong(matcher.group(1));
                return switch (matcher.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                };
            }
            try {
                return Duration.parse(value.strip());
            } catch (DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (10s, 500ms, 2m, PT10S)");
            }
        }
    }
}
