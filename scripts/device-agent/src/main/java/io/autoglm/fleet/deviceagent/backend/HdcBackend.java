package io.autoglm.fleet.deviceagent.backend;

import io.autoglm.fleet.events.device.Battery;
import io.autoglm.fleet.events.device.Platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A HarmonyOS phone over HDC, each action run as Open-AutoGLM's {@code phone_agent/hdc} runs it:
 * {@code uitest uiInput click|doubleClick|longClick|swipe|keyEvent|text}, {@code aa start -b <bundle> -a
 * <ability>} to launch, {@code screenshot} (or {@code snapshot_display}) to a JPEG on the device fetched
 * with {@code file recv}, {@code aa dump -l} for the foreground app. HarmonyOS types with its own input
 * method; no keyboard app is needed.
 */
public final class HdcBackend extends ShellBackend {

    static final String REMOTE_SCREENSHOT = "/data/local/tmp/tmp_screenshot.jpeg";
    static final String DEFAULT_ABILITY = "EntryAbility";
    /** HarmonyOS key codes: Enter, Ctrl + A, Delete (Open-AutoGLM's). */
    static final String KEY_ENTER = "2054";
    private static final Pattern RESOLUTION = Pattern.compile("(\\d{2,5})\\s*x\\s*(\\d{2,5})");
    private static final Pattern BUNDLE = Pattern.compile("\\[([^\\]]+)]");
    private static final Pattern BATTERY_FIELD = Pattern.compile("(?m)^\\s*(capacity|chargingStatus|pluggedType)\\s*:\\s*(\\d+)");

    private final AppTable apps;
    private final AppTable abilities;

    public HdcBackend(BridgeOptions options) {
        this(options, AppTable.harmonyOs(), AppTable.harmonyOsAbilities());
    }

    public HdcBackend(BridgeOptions options, AppTable apps, AppTable abilities) {
        super(options, "-t");
        this.apps = Objects.requireNonNull(apps, "apps");
        this.abilities = Objects.requireNonNull(abilities, "abilities");
    }

    @Override
    public Platform platform() {
        return Platform.HARMONYOS;
    }

    @Override
    public DeviceFacts declaration() throws BackendException, InterruptedException {
        String os = param("const.ohos.fullname");
        return facts(param("const.product.model"), param("const.product.manufacturer"), param("ohos.boot.sn"),
                os.isEmpty() ? param("const.product.software.version") : os);
    }

    /** {@code param get <name>}; empty when the device has no such parameter. */
    private String param(String name) throws BackendException, InterruptedException {
        CommandResult result = shellUnchecked("param", "get", name);
        String value = result.stdoutText().strip();
        return result.succeeded() && !value.toLowerCase(Locale.ROOT).contains("fail") ? value : "";
    }

    /**
     * {@code hidumper -s RenderService -a screen} names the panel's resolution ("physical screen resolution:
     * 1260x2720"); a device that does not answer it is measured by a screenshot, as Open-AutoGLM measures.
     */
    @Override
    protected ScreenSize readScreenSize() throws BackendException, InterruptedException {
        CommandResult result = shellUnchecked("hidumper", "-s", "RenderService", "-a", "screen");
        if (result.succeeded()) {
            String output = result.stdoutText();
            int physical = output.indexOf("physical screen resolution");
            Matcher matcher = RESOLUTION.matcher(physical >= 0 ? output.substring(physical) : output);
            if (matcher.find()) {
                return new ScreenSize(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)));
            }
        }
        if (screenshot() instanceof Screenshot.Captured shot) {
            return new ScreenSize(shot.width(), shot.height());
        }
        throw new CommandFailedException(result, "reported no screen size, and the screen is secure");
    }

    /** {@code hidumper -s BatteryService -a -i}: capacity in percent, charging when charging or plugged in. */
    @Override
    protected Battery battery() throws BackendException, InterruptedException {
        CommandResult result = shellUnchecked("hidumper", "-s", "BatteryService", "-a", "-i");
        if (!result.succeeded()) {
            return null;
        }
        Map<String, Integer> fields = new LinkedHashMap<>();
        Matcher matcher = BATTERY_FIELD.matcher(result.stdoutText());
        while (matcher.find()) {
            fields.putIfAbsent(matcher.group(1), Integer.parseInt(matcher.group(2)));
        }
        Integer capacity = fields.get("capacity");
        if (capacity == null) {
            return null;
        }
        boolean charging = fields.getOrDefault("chargingStatus", 0) == 1 || fields.getOrDefault("pluggedType", 0) != 0;
        return new Battery(Math.max(0, Math.min(1, capacity / 100.0)), charging);
    }

    @Override
    protected void launch(String app) throws BackendException, InterruptedException {
        String bundle = apps.get(app).orElseThrow(() -> new UnknownAppException(app));
        String ability = abilities.get(bundle).orElse(DEFAULT_ABILITY);
        shell("aa", "start", "-b", bundle, "-a", ability);
        pause(pacing.afterLaunch());
    }

    @Override
    protected void tap(ScreenSize.Pixel at) throws BackendException, InterruptedException {
        uiInput("click", Integer.toString(at.x()), Integer.toString(at.y()));
        pause(pacing.afterTap());
    }

    @Override
    protected void doubleTap(ScreenSize.Pixel at) throws BackendException, InterruptedException {
        uiInput("doubleClick", Integer.toString(at.x()), Integer.toString(at.y()));
        pause(pacing.afterDoubleTap());
    }

    @Override
    protected void longPress(ScreenSize.Pixel at) throws BackendException, InterruptedException {
        uiInput("longClick", Integer.toString(at.x()), Integer.toString(at.y()));
        pause(pacing.afterLongPress());
    }

    /** The duration grows with the distance: squared pixels / 1000, clamped to 500-1000 ms. */
    @Override
    protected void swipe(ScreenSize.Pixel start, ScreenSize.Pixel end) throws BackendException, InterruptedException {
        uiInput("swipe", Integer.toString(start.x()), Integer.toString(start.y()), Integer.toString(end.x()),
                Integer.toString(end.y()), Integer.toString(swipeMillis(start, end, 500, 1000)));
        pause(pacing.afterSwipe());
    }

    @Override
    protected void back() throws BackendException, InterruptedException {
        uiInput("keyEvent", "Back");
        pause(pacing.afterBack());
    }

    @Override
    protected void home() throws BackendException, InterruptedException {
        uiInput("keyEvent", "Home");
        pause(pacing.afterHome());
    }

    /**
     * Open-AutoGLM's text entry on HarmonyOS: note the IME, clear the field (Ctrl+A, then Delete), type
     * each line with {@code uiInput text} ({@code "} and {@code $} escaped for the device's shell) and
     * Enter between lines, then set the noted IME again.
     */
    @Override
    protected void type(String text) throws BackendException, InterruptedException {
        CommandResult current = shellUnchecked("settings", "get", "secure", "default_input_method");
        String originalIme = current.succeeded() ? current.output().strip() : "";
        pause(pacing.keyboardSwitch());
        uiInput("keyEvent", "2072", "2017");
        uiInput("keyEvent", "2055");
        pause(pacing.textClear());
        List<String> lines = List.of(text.split("\n", -1));
        if (lines.size() == 1) {
            uiInput("text", escape(text));
        }
        for (int i = 0; lines.size() > 1 && i < lines.size(); i++) {
            if (!lines.get(i).isEmpty()) {
                uiInput("text", escape(lines.get(i)));
            }
            if (i < lines.size() - 1) {
                uiInput("keyEvent", KEY_ENTER);
            }
        }
        pause(pacing.textInput());
        if (!originalIme.isEmpty()) {
            shellUnchecked("ime", "set", originalIme);
        }
        pause(pacing.keyboardRestore());
    }

    static String escape(String text) {
        return text.replace("\"", "\\\"").replace("$", "\\$");
    }

    private void uiInput(String... args) throws BackendException, InterruptedException {
        String[] all = new String[args.length + 2];
        all[0] = "uitest";
        all[1] = "uiInput";
        System.arraycopy(args, 0, all, 2, args.length);
        shell(all);
    }

    /**
     * {@code screenshot} to a JPEG on the device ({@code snapshot_display -f} where that fails), then
     * {@code file recv} and re-encoded as PNG. Both failing is a secure screen, as Open-AutoGLM reads it.
     */
    @Override
    public Screenshot screenshot() throws BackendException, InterruptedException {
        CommandResult shot = shellUnchecked("screenshot", REMOTE_SCREENSHOT);
        if (refused(shot.output(), true)) {
            CommandResult snapshot = shellUnchecked("snapshot_display", "-f", REMOTE_SCREENSHOT);
            if (refused(snapshot.output(), false)) {
                return new Screenshot.Secure("snapshot_display refused: " + snapshot.output().strip());
            }
        }
        Path local;
        try {
            local = Files.createTempFile("device-agent-screenshot", ".jpeg");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a temporary file for the screenshot", e);
        }
        try {
            CommandResult recv = bridge("file", "recv", REMOTE_SCREENSHOT, local.toString());
            byte[] image = Files.readAllBytes(local);
            Screenshot captured = image.length == 0 ? null : captured(image, "snapshot");
            if (captured == null) {
                throw new CommandFailedException(recv, "brought back no readable image");
            }
            return captured;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the received screenshot " + local, e);
        } finally {
            try {
                Files.deleteIfExists(local);
            } catch (IOException ignored) {
                // a leftover temporary file is harmless
            }
        }
    }

    private static boolean refused(String output, boolean orMissing) {
        String lower = output.toLowerCase(Locale.ROOT);
        return lower.contains("fail") || lower.contains("error") || (orMissing && lower.contains("not found"));
    }

    /**
     * {@code aa dump -l}: the bundle of the first mission whose state is FOREGROUND, by its app name when
     * the table knows it, else the bundle itself; "System Home" when no mission is in the foreground.
     */
    @Override
    public String currentApp() throws BackendException, InterruptedException {
        CommandResult result = shell("aa", "dump", "-l");
        String output = result.stdoutText();
        if (output.isEmpty()) {
            throw new CommandFailedException(result, "gave no output");
        }
        String current = null;
        String foreground = null;
        for (String line : output.split("\n")) {
            if (line.contains("app name [")) {
                Matcher matcher = BUNDLE.matcher(line);
                if (matcher.find()) {
                    current = matcher.group(1);
                }
            }
            if (line.toLowerCase(Locale.ROOT).contains("state #foreground") && current != null) {
                foreground = current;
                break;
            }
            if (line.contains("Mission ID")) {
                current = null;
            }
        }
        if (foreground == null) {
            return "System Home";
        }
        for (Map.Entry<String, String> app : apps.entries().entrySet()) {
            if (app.getValue().equals(foreground)) {
                return app.getKey();
            }
        }
        return foreground;
    }
}
