package io.autoglm.fleet.deviceagent.backend;

import io.autoglm.fleet.events.command.CommandAction;
import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.events.device.Battery;
import io.autoglm.fleet.events.device.Platform;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HdcBackendTest {

    private static final String RENDER_SERVICE = """
            -------------------------------[ability]-------------------------------
            ----------------------------------RenderService----------------------------------
            -- ScreenInfo
            screen[0]: id=0, powerstatus=POWER_STATUS_ON, backlight=128, screenType=EXTERNAL_TYPE, render size: 1260x2720, physical screen resolution: 1260x2720, isvirtual=false, skipFrameInterval_:1
            """;

    @TempDir
    Path dir;

    FakeBridge hdc;
    HdcBackend backend;

    @BeforeEach
    void phone() {
        hdc = FakeBridge.install(dir, "hdc").answer("shell hidumper -s RenderService -a screen", RENDER_SERVICE);
        backend = new HdcBackend(hdc.options());
    }

    private ActionOutcome run(AgentAction type, Map<String, String> params) throws Exception {
        return backend.execute(new CommandAction(type, params));
    }

    @Test
    void tapIsAUitestClickAtThePixel() throws Exception {
        run(AgentAction.TAP, Map.of("element", "[500,300]"));

        assertThat(hdc.invocations()).containsExactly(
                List.of(hdc.executable().toString(), "-t", "SER123", "shell", "hidumper", "-s", "RenderService", "-a", "screen"),
                List.of(hdc.executable().toString(), "-t", "SER123", "shell", "uitest", "uiInput", "click", "630", "816"));
    }

    @Test
    void everyActionRunsOpenAutoGlmsCommandLine() throws Exception {
        run(AgentAction.LAUNCH, Map.of("app", "淘宝"));
        run(AgentAction.LAUNCH, Map.of("app", "设置"));
        run(AgentAction.LAUNCH, Map.of("app", "京东"));
        run(AgentAction.DOUBLE_TAP, Map.of("element", "[100,200]"));
        run(AgentAction.LONG_PRESS, Map.of("element", "[100,200]"));
        run(AgentAction.SWIPE, Map.of("start", "[500,800]", "end", "[500,200]"));
        run(AgentAction.SWIPE, Map.of("start", "[500,510]", "end", "[500,500]"));
        run(AgentAction.BACK, Map.of());
        run(AgentAction.HOME, Map.of());

        assertThat(hdc.commandLines()).containsExactly(
                "shell aa start -b com.taobao.taobao4hmos -a Taobao_mainAbility",
                "shell aa start -b com.huawei.hmos.settings -a com.huawei.hmos.settings.MainAbility",
                "shell aa start -b com.jd.hm.mall -a EntryAbility",
                "shell hidumper -s RenderService -a screen",
                "shell uitest uiInput doubleClick 126 544",
                "shell uitest uiInput longClick 126 544",
                // 1632 px: clamped to 1000 ms
                "shell uitest uiInput swipe 630 2176 630 544 1000",
                // 28 px: clamped up to 500 ms
                "shell uitest uiInput swipe 630 1387 630 1360 500",
                "shell uitest uiInput keyEvent Back",
                "shell uitest uiInput keyEvent Home");
    }

    @Test
    void typeClearsTheFieldAndTypesEscapedTextWithEnterBetweenLines() throws Exception {
        hdc.fail("shell settings get secure default_input_method", 127, "/bin/sh: settings: not found");

        run(AgentAction.TYPE, Map.of("text", "say \"hi\"\nto $USER"));

        assertThat(hdc.commandLines()).containsExactly(
                "shell settings get secure default_input_method",
                "shell uitest uiInput keyEvent 2072 2017",
                "shell uitest uiInput keyEvent 2055",
                "shell uitest uiInput text say \\\"hi\\\"",
                "shell uitest uiInput keyEvent 2054",
                "shell uitest uiInput text to \\$USER");
        assertThat(hdc.invocations().get(3)).last().isEqualTo("say \\\"hi\\\"");
    }

    @Test
    void singleLineTextIsOneUitestTextAndTheImeIsSetBack() throws Exception {
        hdc.answer("shell settings get secure default_input_method", "com.huawei.ohos.inputmethod/InputMethodExtAbility\n");

        run(AgentAction.TYPE, Map.of("text", "你好"));

        assertThat(hdc.commandLines()).containsExactly(
                "shell settings get secure default_input_method",
                "shell uitest uiInput keyEvent 2072 2017",
                "shell uitest uiInput keyEvent 2055",
                "shell uitest uiInput text 你好",
                "shell ime set com.huawei.ohos.inputmethod/InputMethodExtAbility");
    }

    @Test
    void aScreenshotIsTheDevicesJpegReceivedAndTurnedIntoPng() throws Exception {
        hdc.deviceFile("tmp_screenshot.jpeg", FakeBridge.encode(FakeBridge.image(126, 272), "jpg"));

        Screenshot shot = backend.screenshot();

        List<String> lines = hdc.commandLines();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isEqualTo("shell screenshot /data/local/tmp/tmp_screenshot.jpeg");
        assertThat(lines.get(1)).startsWith("file recv /data/local/tmp/tmp_screenshot.jpeg /");
        assertThat(shot).isInstanceOfSatisfying(Screenshot.Captured.class, captured -> {
            assertThat(Images.isPng(captured.png())).isTrue();
            assertThat(captured.width()).isEqualTo(126);
            assertThat(captured.height()).isEqualTo(272);
            BufferedImage decoded = decode(captured.png());
            assertThat(decoded.getWidth()).isEqualTo(126);
        });
        assertThat(Path.of(hdc.invocations().get(1).get(6))).doesNotExist();
    }

    @Test
    void snapshotDisplayIsTheFallbackAndBothFailingIsASecureScreen() throws Exception {
        hdc.answer("shell screenshot /data/local/tmp/tmp_screenshot.jpeg", "/bin/sh: screenshot: not found\n")
                .deviceFile("tmp_screenshot.jpeg", FakeBridge.encode(FakeBridge.image(126, 272), "jpg"));
        assertThat(backend.screenshot()).isInstanceOf(Screenshot.Captured.class);
        assertThat(hdc.commandLines()).element(1).isEqualTo("shell snapshot_display -f /data/local/tmp/tmp_screenshot.jpeg");

        hdc.answer("shell snapshot_display -f /data/local/tmp/tmp_screenshot.jpeg", "snapshot display fail: permission denied\n");
        assertThat(backend.screenshot()).isInstanceOfSatisfying(Screenshot.Secure.class,
                secure -> assertThat(secure.why()).contains("snapshot display fail"));
    }

    @Test
    void aBlackSnapshotIsASecureScreen() throws Exception {
        hdc.deviceFile("tmp_screenshot.jpeg", FakeBridge.black(126, 272, "jpg"));

        assertThat(backend.screenshot()).isInstanceOf(Screenshot.Secure.class);
    }

    @Test
    void aSnapshotThatNeverArrivesIsACommandFailure() {
        hdc.fail("file recv /data/local/tmp/tmp_screenshot.jpeg", 0, "");

        assertThatThrownBy(() -> backend.screenshot()).isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("file recv /data/local/tmp/tmp_screenshot.jpeg")
                .hasMessageContaining("brought back no readable image");
    }

    @Test
    void theCurrentAppIsTheForegroundMissionsBundle() throws Exception {
        hdc.answer("shell aa dump -l", """
                User ID #100
                  current mission lists:{
                    Mission ID #139  mission name #[#com.huawei.hmos.settings:entry:com.huawei.hmos.settings.MainAbility]  lockedState #0
                      app name [com.huawei.hmos.settings]
                      state #BACKGROUND
                    Mission ID #141  mission name #[#com.ss.hm.ugc.aweme:entry:MainAbility]  lockedState #0
                      app name [com.ss.hm.ugc.aweme]
                      bundle name [com.ss.hm.ugc.aweme]
                      state #FOREGROUND
                      app state #FOREGROUND
                """);
        assertThat(backend.currentApp()).isEqualTo("抖音");

        hdc.answer("shell aa dump -l", "Mission ID #2\n  app name [com.example.other]\n  state #FOREGROUND\n");
        assertThat(backend.currentApp()).isEqualTo("com.example.other");

        hdc.answer("shell aa dump -l", "Mission ID #2\n  app name [com.example.other]\n  state #BACKGROUND\n");
        assertThat(backend.currentApp()).isEqualTo("System Home");
    }

    @Test
    void theDeclarationIsReadWithParamGet() throws Exception {
        hdc.answer("shell param get const.product.model", "ALN-AL00\n")
                .answer("shell param get const.product.manufacturer", "HUAWEI\n")
                .answer("shell param get ohos.boot.sn", "AN2X023B10001234\n")
                .answer("shell param get const.ohos.fullname", "OpenHarmony-5.0.1.107\n")
                .answer("shell nproc", "12\n")
                .answer("shell cat /proc/meminfo", "MemTotal:       11896448 kB\nMemAvailable:    5000000 kB\n")
                .answer("shell hidumper -s BatteryService -a -i", """
                        -------------------------------[ability]-------------------------------
                        ----------------------------------BatteryService----------------------------------
                        capacity: 67
                        batteryLevel: 3
                        chargingStatus: 1
                        healthState: 1
                        pluggedType: 2
                        """);

        DeviceFacts facts = backend.declaration();

        assertThat(facts).isEqualTo(new DeviceFacts(Platform.HARMONYOS, "ALN-AL00", "OpenHarmony-5.0.1.107", new ScreenSize(1260, 2720),
                12, 11617, new Battery(0.67, true), Map.of("serial", "AN2X023B10001234", "manufacturer", "HUAWEI", "model", "ALN-AL00")));
    }

    @Test
    void withoutARenderServiceAnswerTheScreenIsMeasuredByAScreenshot() throws Exception {
        hdc.fail("shell hidumper -s RenderService -a screen", 1, "hidumper: no such service")
                .deviceFile("tmp_screenshot.jpeg", FakeBridge.encode(FakeBridge.image(126, 272), "jpg"));

        assertThat(backend.screenSize()).isEqualTo(new ScreenSize(126, 272));
    }

    @Test
    void aFailingUitestIsATypedFailureNamingTheCommandAndItsStderr() {
        hdc.fail("shell uitest uiInput keyEvent Back", 2, "[Fail]Device not founded or connected\n");

        assertThatThrownBy(() -> run(AgentAction.BACK, Map.of()))
                .isInstanceOf(CommandFailedException.class)
                .hasMessage("'" + hdc.executable() + " -t SER123 shell uitest uiInput keyEvent Back' failed (exit 2): [Fail]Device not founded or connected");
    }

    private static BufferedImage decode(byte[] png) {
        try {
            return ImageIO.read(new ByteArrayInputStream(png));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
