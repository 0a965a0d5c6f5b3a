package io.autoglm.fleet.deviceagent.backend;

import io.autoglm.fleet.events.command.CommandAction;
import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.events.device.Battery;
import io.autoglm.fleet.events.device.Platform;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdbBackendTest {

    @TempDir
    Path dir;

    FakeBridge adb;
    AdbBackend backend;

    @BeforeEach
    void phone() {
        adb = FakeBridge.install(dir, "adb").answer("shell wm size", "Physical size: 1080x2400\n");
        backend = new AdbBackend(adb.options());
    }

    private ActionOutcome run(AgentAction type, Map<String, String> params) throws Exception {
        return backend.execute(new CommandAction(type, params));
    }

    @Test
    void tapConvertsTheRelativePointWithTheScreenSize() throws Exception {
        ActionOutcome outcome = run(AgentAction.TAP, Map.of("element", "[500,300]"));

        assertThat(adb.invocations()).containsExactly(
                List.of(adb.executable().toString(), "-s", "SER123", "shell", "wm", "size"),
                List.of(adb.executable().toString(), "-s", "SER123", "shell", "input", "tap", "540", "720"));
        assertThat(outcome.output()).isEqualTo("tapped 540,720");
        assertThat(outcome.screen()).isNull();
    }

    @Test
    void theScreenSizeIsReadOnceAndAnOverrideSizeWins() throws Exception {
        adb.answer("shell wm size", "Physical size: 1080x2400\nOverride size: 720x1600\n");

        run(AgentAction.TAP, Map.of("element", "[999,999]"));
        run(AgentAction.TAP, Map.of("element", "[0, 0]"));

        assertThat(adb.commandLines()).containsExactly("shell wm size", "shell input tap 719 1598", "shell input tap 0 0");
        assertThat(backend.screenSize()).isEqualTo(new ScreenSize(720, 1600));
    }

    @Test
    void everyActionRunsOpenAutoGlmsCommandLine() throws Exception {
        run(AgentAction.LAUNCH, Map.of("app", "微信"));
        run(AgentAction.DOUBLE_TAP, Map.of("element", "[100,200]"));
        run(AgentAction.LONG_PRESS, Map.of("element", "[100,200]"));
        run(AgentAction.SWIPE, Map.of("start", "[500,800]", "end", "[500,200]"));
        run(AgentAction.SWIPE, Map.of("start", "[500,510]", "end", "[500,500]"));
        run(AgentAction.SWIPE, Map.of("start", "[0,999]", "end", "[999,0]"));
        run(AgentAction.BACK, Map.of());
        run(AgentAction.HOME, Map.of());

        assertThat(adb.commandLines()).containsExactly(
                "shell monkey -p com.tencent.mm -c android.intent.category.LAUNCHER 1",
                "shell wm size",
                "shell input tap 108 480",
                "shell input tap 108 480",
                "shell input swipe 108 480 108 480 3000",
                // 1440 px up: 2073 ms by distance, clamped to 2000
                "shell input swipe 540 1920 540 480 2000",
                // 24 px: clamped up to 1000
                "shell input swipe 540 1224 540 1200 1000",
                "shell input swipe 0 2397 1078 0 2000",
                "shell input keyevent 4",
                "shell input keyevent KEYCODE_HOME");
    }

    @Test
    void actionsPauseAsOpenAutoGlmPacesThem() throws Exception {
        backend = new AdbBackend(adb.options().withPacing(ActionPacing.OPEN_AUTOGLM, adb.sleeps::add));

        run(AgentAction.DOUBLE_TAP, Map.of("element", "[100,200]"));
        run(AgentAction.BACK, Map.of());

        assertThat(adb.sleeps).containsExactly(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(1));
    }

    @Test
    void typeSwitchesToAdbKeyboardSendsTheTextBase64AndRestoresTheIme() throws Exception {
        adb.answer("shell settings get secure default_input_method", "com.google.android.inputmethod.latin/com.android.inputmethod.latin.LatinIME\n");
        String text = "咖啡 \"$HOME\" it's `x` & more";

        ActionOutcome outcome = run(AgentAction.TYPE, Map.of("text", text));

        String encoded = Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        assertThat(adb.commandLines()).containsExactly(
                "shell settings get secure default_input_method",
                "shell ime set com.android.adbkeyboard/.AdbIME",
                "shell am broadcast -a ADB_INPUT_B64 --es msg ",
                "shell am broadcast -a ADB_CLEAR_TEXT",
                "shell am broadcast -a ADB_INPUT_B64 --es msg " + encoded,
                "shell ime set com.google.android.inputmethod.latin/com.android.inputmethod.latin.LatinIME");
        assertThat(adb.invocations().get(4)).last().isEqualTo(encoded);
        assertThat(new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8)).isEqualTo(text);
        assertThat(outcome.output()).isEqualTo("typed " + text.codePointCount(0, text.length()) + " characters");
    }

    @Test
    void typeLeavesTheImeAloneWhenAdbKeyboardIsAlreadyOn() throws Exception {
        adb.answer("shell settings get secure default_input_method", "com.android.adbkeyboard/.AdbIME\n");

        run(AgentAction.TYPE_NAME, Map.of("text", "李雷"));

        assertThat(adb.commandLines()).containsExactly(
                "shell settings get secure default_input_method",
                "shell am broadcast -a ADB_INPUT_B64 --es msg ",
                "shell am broadcast -a ADB_CLEAR_TEXT",
                "shell am broadcast -a ADB_INPUT_B64 --es msg 5p2O6Zu3",
                "shell ime set com.android.adbkeyboard/.AdbIME");
    }

    @Test
    void waitSleepsForTheDurationAndRunsNothing() throws Exception {
        run(AgentAction.WAIT, Map.of("duration", "2.5 seconds"));
        run(AgentAction.WAIT, Map.of());

        assertThat(adb.sleeps).containsExactly(Duration.ofMillis(2500), Duration.ofSeconds(1));
        assertThat(adb.invocations()).isEmpty();
        assertThatThrownBy(() -> run(AgentAction.WAIT, Map.of("duration", "600 seconds")))
                .isInstanceOf(InvalidActionException.class).hasMessageContaining("0 to 60 seconds");
    }

    @Test
    void actionsWithNothingToDoOnTheDeviceRunNothing() throws Exception {
        assertThat(run(AgentAction.NOTE, Map.of("message", "price 12")).output()).isEqualTo("Note: nothing to do on the device");
        assertThat(run(AgentAction.CALL_API, Map.of("instruction", "sum up")).output()).isEqualTo("Call_API: nothing to do on the device");
        assertThat(run(AgentAction.INTERACT, Map.of()).output()).isEqualTo("User interaction required");
        assertThat(adb.invocations()).isEmpty();
    }

    @Test
    void takeOverIsNotSupported() {
        assertThat(backend.supportedActions()).doesNotContain(AgentAction.TAKE_OVER).contains(AgentAction.TAP, AgentAction.TYPE, AgentAction.OBSERVE);
        assertThatThrownBy(() -> run(AgentAction.TAKE_OVER, Map.of("message", "log in")))
                .isInstanceOf(UnsupportedActionException.class).hasMessageContaining("Take_over");
    }

    @Test
    void badArgumentsAreInvalidActionsAndRunNothing() {
        assertThatThrownBy(() -> run(AgentAction.TAP, Map.of())).isInstanceOf(InvalidActionException.class)
                .hasMessage("Tap needs 'element' as [x,y], relative 0-999");
        assertThatThrownBy(() -> run(AgentAction.TAP, Map.of("element", "middle"))).isInstanceOf(InvalidActionException.class)
                .hasMessage("Tap's 'element' must be [x,y], got 'middle'");
        assertThatThrownBy(() -> run(AgentAction.SWIPE, Map.of("start", "[1000,0]", "end", "[0,0]"))).isInstanceOf(InvalidActionException.class)
                .hasMessageContaining("off the screen");
        assertThatThrownBy(() -> run(AgentAction.LAUNCH, Map.of())).isInstanceOf(InvalidActionException.class);
        assertThat(adb.commandLines()).doesNotContain("shell input tap");
    }

    @Test
    void launchingAnAppTheTableDoesNotKnowFailsWithoutRunningAnything() {
        assertThatThrownBy(() -> run(AgentAction.LAUNCH, Map.of("app", "NoSuchApp")))
                .isInstanceOf(UnknownAppException.class).hasMessage("App not found: NoSuchApp");
        assertThat(adb.invocations()).isEmpty();
    }

    @Test
    void aFailingCommandIsATypedFailureNamingTheCommandAndItsStderr() {
        adb.fail("shell input tap 540 720", 1, "error: device 'SER123' not found\n");

        assertThatThrownBy(() -> run(AgentAction.TAP, Map.of("element", "[500,300]")))
                .isInstanceOfSatisfying(CommandFailedException.class, e -> {
                    assertThat(e.command()).containsExactly(adb.executable().toString(), "-s", "SER123", "shell", "input", "tap", "540", "720");
                    assertThat(e.exitCode()).isEqualTo(1);
                    assertThat(e.stderr()).isEqualTo("error: device 'SER123' not found\n");
                })
                .hasMessage("'" + adb.executable() + " -s SER123 shell input tap 540 720' failed (exit 1): error: device 'SER123' not found");
    }

    @Test
    void aScreenshotIsTheScreencapPngWithItsSize() throws Exception {
        byte[] png = FakeBridge.encode(FakeBridge.image(108, 240), "png");
        adb.answer("exec-out screencap -p", png);

        Screenshot shot = backend.screenshot();

        assertThat(adb.commandLines()).containsExactly("exec-out screencap -p");
        assertThat(shot).isInstanceOfSatisfying(Screenshot.Captured.class, captured -> {
            assertThat(captured.png()).isEqualTo(png);
            assertThat(captured.width()).isEqualTo(108);
            assertThat(captured.height()).isEqualTo(240);
        });
    }

    @Test
    void aSecureScreenIsSensitiveWhetherScreencapRefusesOrGivesBlack() throws Exception {
        adb.fail("exec-out screencap -p", 1, "Status: -1\n");
        assertThat(backend.screenshot()).isInstanceOfSatisfying(Screenshot.Secure.class,
                secure -> assertThat(secure.why()).isEqualTo("screencap refused: Status: -1"));

        adb.answer("exec-out screencap -p", FakeBridge.black(108, 240, "png")).fail("exec-out screencap -p", 0, "");
        assertThat(backend.screenshot()).isInstanceOfSatisfying(Screenshot.Secure.class,
                secure -> assertThat(secure.why()).contains("came back black"));
    }

    @Test
    void aScreencapThatFailsOtherwiseIsACommandFailure() {
        adb.fail("exec-out screencap -p", 255, "error: closed\n");

        assertThatThrownBy(() -> backend.screenshot()).isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("exec-out screencap -p' failed (exit 255): error: closed");
    }

    @Test
    void observeIsTheScreenshotAndTheForegroundApp() throws Exception {
        byte[] png = FakeBridge.encode(FakeBridge.image(108, 240), "png");
        adb.answer("exec-out screencap -p", png).answer("shell dumpsys window", "  mCurrentFocus=Window{1 u0 com.android.settings/.Settings}\n");

        ActionOutcome outcome = run(AgentAction.OBSERVE, Map.of());

        assertThat(adb.commandLines()).containsExactly("exec-out screencap -p", "shell dumpsys window");
        assertThat(outcome.output()).isEqualTo("observed");
        assertThat(outcome.screen().currentApp()).isEqualTo("AndroidSystemSettings");
        assertThat(outcome.screen().screenshot()).isInstanceOfSatisfying(Screenshot.Captured.class,
                captured -> assertThat(captured.png()).isEqualTo(png));

        adb.fail("exec-out screencap -p", 1, "Status: -1\n");
        ActionOutcome secure = run(AgentAction.OBSERVE, Map.of());
        assertThat(secure.output()).isEqualTo("observed a secure screen");
        assertThat(secure.screen().screenshot()).isInstanceOf(Screenshot.Secure.class);
    }

    @Test
    void theCurrentAppIsTheFirstKnownPackageOnTheFocusLine() throws Exception {
        adb.answer("shell dumpsys window", """
                WINDOW MANAGER WINDOWS (dumpsys window windows)
                  Window #3 Window{1a2b u0 com.android.settings/com.android.settings.Settings}:
                  mCurrentFocus=Window{8f3c u0 com.tencent.mm/com.tencent.mm.ui.LauncherUI}
                  mFocusedApp=ActivityRecord{77a u0 com.tencent.mm/.ui.LauncherUI t12}
                """);
        assertThat(backend.currentApp()).isEqualTo("微信");

        adb.answer("shell dumpsys window", "  mCurrentFocus=Window{8f3c u0 com.example.unknown/.Main}\n");
        assertThat(backend.currentApp()).isEqualTo("System Home");
    }

    @Test
    void theDeclarationIsReadFromTheDevice() throws Exception {
        adb.answer("shell getprop ro.product.model", "Pixel 8\n")
                .answer("shell getprop ro.product.manufacturer", "Google\n")
                .answer("shell getprop ro.serialno", "37121FDJH004UR\n")
                .answer("shell getprop ro.build.version.release", "14\n")
                .answer("shell nproc", "8\n")
                .answer("shell cat /proc/meminfo", "MemTotal:        7849164 kB\nMemFree:          312000 kB\nMemAvailable:    3924582 kB\n")
                .answer("shell dumpsys battery", """
                        Current Battery Service state:
                          AC powered: false
                          USB powered: true
                          Wireless powered: false
                          status: 2
                          level: 85
                          scale: 100
                        """);

        DeviceFacts facts = backend.declaration();

        assertThat(facts).isEqualTo(new DeviceFacts(Platform.ANDROID, "Pixel 8", "Android 14", new ScreenSize(1080, 2400), 8, 7665,
                new Battery(0.85, true), Map.of("serial", "37121FDJH004UR", "manufacturer", "Google", "model", "Pixel 8")));
    }

    @Test
    void theFingerprintFallsBackToTheAdbSerialAndCoresToCpuinfo() throws Exception {
        adb.answer("shell cat /proc/meminfo", "MemTotal: 4000000 kB\n")
                .fail("shell nproc", 127, "nproc: not found")
                .answer("shell cat /proc/cpuinfo", "processor\t: 0\nBogoMIPS\t: 38.40\nprocessor\t: 1\n")
                .fail("shell dumpsys battery", 1, "Can't find service: battery");

        DeviceFacts facts = backend.declaration();

        assertThat(facts.identifiers()).containsEntry("serial", "SER123");
        assertThat(facts.cpuCores()).isEqualTo(2);
        assertThat(facts.battery()).isNull();
    }

    @Test
    void vitalsAreLoadPerCoreMemoryInUseAndTheBattery() throws Exception {
        adb.answer("shell nproc", "4\n")
                .answer("shell cat /proc/loadavg", "1.00 0.80 0.50 2/512 12345\n")
                .answer("shell cat /proc/meminfo", "MemTotal: 8000000 kB\nMemAvailable: 2000000 kB\n")
                .answer("shell dumpsys battery", "  AC powered: false\n  USB powered: false\n  status: 3\n  level: 40\n  scale: 100\n");

        DeviceVitals vitals = backend.vitals();

        assertThat(vitals.cpuLoad()).isEqualTo(0.25);
        assertThat(vitals.memoryUsed()).isEqualTo(0.75);
        assertThat(vitals.battery()).isEqualTo(new Battery(0.4, false));
    }

    @Test
    void theToolIsFoundOnTheRunnersPath() throws Exception {
        BridgeOptions byName = new BridgeOptions("adb", "SER123", adb.runner(), Duration.ofSeconds(10), ActionPacing.NONE, d -> { });

        new AdbBackend(byName).execute(new CommandAction(AgentAction.BACK, Map.of()));

        assertThat(adb.invocations()).containsExactly(List.of(adb.executable().toString(), "-s", "SER123", "shell", "input", "keyevent", "4"));
    }
}
