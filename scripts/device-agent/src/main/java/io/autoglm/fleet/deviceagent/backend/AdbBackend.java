package io.autoglm.fleet.deviceagent.backend;

import io.autoglm.fleet.events.device.Battery;
import io.autoglm.fleet.events.device.Platform;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Android phone over ADB, each action run as Open-AutoGLM's {@code phone_agent/adb} runs it:
 * {@code input tap|swipe|keyevent}, {@code monkey -p <package>} to launch, the ADB Keyboard's
 * {@code ADB_INPUT_B64} broadcast to type (switching the IME to it and back), {@code screencap -p}.
 * Typing needs ADB Keyboard installed on the phone (https://github.com/senzhk/ADBKeyBoard).
 */
public final class AdbBackend extends ShellBackend {

    static final String ADB_KEYBOARD = "com.android.adbkeyboard/.AdbIME";
    private static final Pattern SIZE = Pattern.compile("(Physical|Override) size:\\s*(\\d+)x(\\d+)");
    private static final Pattern BATTERY_FIELD = Pattern.compile("(?m)^\\s*([A-Za-z ]+):\\s*(\\S+)\\s*$");
    /** Long Press: a swipe that does not move, for Open-AutoGLM's 3000 ms. */
    private static final int LONG_PRESS_MS = 3000;

    private final AppTable apps;

    public AdbBackend(BridgeOptions options) {
        this(options, AppTable.android());
    }

    public AdbBackend(BridgeOptions options, AppTable apps) {
        super(options, "-s");
        this.apps = Objects.requireNonNull(apps, "apps");
    }

    @Override
    public Platform platform() {
        return Platform.ANDROID;
    }

    @Override
    public DeviceFacts declaration() throws BackendException, InterruptedException {
        return facts(property("ro.product.model"), property("ro.product.manufacturer"), property("ro.serialno"),
                "Android " + property("ro.build.version.release"));
    }

    private String property(String name) throws BackendException, InterruptedException {
        return shell("getprop", name).stdoutText().strip();
    }

    /** {@code wm size}: the override size when one is set (input and screencap follow it), else the physical size. */
    @Override
    protected ScreenSize readScreenSize() throws BackendException, InterruptedException {
        CommandResult result = shell("wm", "size");
        Matcher matcher = SIZE.matcher(result.stdoutText());
        ScreenSize size = null;
        while (matcher.find()) {
            if (size == null || matcher.group(1).equals("Override")) {
                size = new ScreenSize(Integer.parseInt(matcher.group(2)), Integer.parseInt(matcher.group(3)));
            }
        }
        if (size == null) {
            throw new CommandFailedException(result, "reported no screen size");
        }
        return size;
    }

    /** {@code dumpsys battery}: level / scale, charging when status is 2 (charging) or any power source is plugged. */
    @Override
    protected Battery battery() throws BackendException, InterruptedException {
        CommandResult result = shellUnchecked("dumpsys", "battery");
        if (!result.succeeded()) {
            return null;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher matcher = BATTERY_FIELD.matcher(result.stdoutText());
        while (matcher.find()) {
            fields.putIfAbsent(matcher.group(1).strip(), matcher.group(2));
        }
        try {
            double level = Double.parseDouble(fields.get("level"));
            double scale = Double.parseDouble(fields.getOrDefault("scale", "100"));
            boolean charging = "2".equals(fields.get("status")) || "true".equals(fields.get("AC powered"))
                    || "true".equals(fields.get("USB powered")) || "true".equals(fields.get("Wireless powered"));
            return new Battery(Math.max(0, Math.min(1, level / scale)), charging);
        } catch (NullPointerException | NumberFormatException e) {
            return null;
        }
    }

    @Override
    protected void launch(String app) throws BackendException, InterruptedException {
        String pkg = apps.get(app).orElseThrow(() -> new UnknownAppException(app));
        shell("monkey", "-p", pkg, "-c", "android.intent.category.LAUNCHER", "1");
        pause(pacing.afterLaunch());
    }

    @Override
    protected void tap(ScreenSize.Pixel at) throws BackendException, InterruptedException {
        inputTap(at);
        pause(pacing.afterTap());
    }

    @Override
    protected void doubleTap(ScreenSize.Pixel at) throws BackendException, InterruptedException {
        inputTap(at);
        pause(pacing.doubleTapInterval());
        inputTap(at);
        pause(pacing.afterDoubleTap());
    }

    private void inputTap(ScreenSize.Pixel at) throws BackendException, InterruptedException {
        shell("input", "tap", Integer.toString(at.x()), Integer.toString(at.y()));
    }

    @Override
    protected void longPress(ScreenSize.Pixel at) throws BackendException, InterruptedException {
        String x = Integer.toString(at.x());
        String y = Integer.toString(at.y());
        shell("input", "swipe", x, y, x, y, Integer.toString(LONG_PRESS_MS));
        pause(pacing.afterLongPress());
    }

    /** The duration grows with the distance: squared pixels / 1000, clamped to 1000-2000 ms. */
    @Override
    protected void swipe(ScreenSize.Pixel start, ScreenSize.Pixel end) throws BackendException, InterruptedException {
        shell("input", "swipe", Integer.toString(start.x()), Integer.toString(start.y()), Integer.toString(end.x()),
                Integer.toString(end.y()), Integer.toString(swipeMillis(start, end, 1000, 2000)));
        pause(pacing.afterSwipe());
    }

    @Override
    protected void back() throws BackendException, InterruptedException {
        shell("input", "keyevent", "4");
        pause(pacing.afterBack());
    }

    @Override
    protected void home() throws BackendException, InterruptedException {
        shell("input", "keyevent", "KEYCODE_HOME");
        pause(pacing.afterHome());
    }

    /**
     * Open-AutoGLM's text entry: remember the IME, switch to ADB Keyboard unless it is already on, warm it
     * up with an empty message, clear the field, send the text base64-encoded (so no shell quoting can
     * mangle it), then put the original IME back.
     */
    @Override
    protected void type(String text) throws BackendException, InterruptedException {
        CommandResult current = shellUnchecked("settings", "get", "secure", "default_input_method");
        String originalIme = current.output().strip();
        if (!originalIme.contains(ADB_KEYBOARD)) {
            shell("ime", "set", ADB_KEYBOARD);
        }
        shellUnchecked("am", "broadcast", "-a", "ADB_INPUT_B64", "--es", "msg", "");
        pause(pacing.keyboardSwitch());
        shell("am", "broadcast", "-a", "ADB_CLEAR_TEXT");
        pause(pacing.textClear());
        shell("am", "broadcast", "-a", "ADB_INPUT_B64", "--es", "msg", base64(text));
        pause(pacing.textInput());
        if (!originalIme.isEmpty() && !originalIme.equals("null")) {
            shell("ime", "set", originalIme);
        }
        pause(pacing.keyboardRestore());
    }

    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@code exec-out screencap -p}: the PNG on stdout. A secure window shows as a failed capture
     * ("Status: -1", "Failed" in the answer, as Open-AutoGLM checks) or as an all-black image.
     */
    @Override
    public Screenshot screenshot() throws BackendException, InterruptedException {
        CommandResult result = bridgeUnchecked("exec-out", "screencap", "-p");
        if (result.succeeded() && Images.isPng(result.stdout())) {
            Screenshot shot = captured(result.stdout(), "screencap");
            if (shot == null) {
                throw new CommandFailedException(result, "gave a PNG that cannot be read");
            }
            return shot;
        }
        if (result.output().contains("Status: -1") || result.output().contains("Failed")) {
            return new Screenshot.Secure("screencap refused: " + firstLine(result.output()));
        }
        throw new CommandFailedException(result, result.succeeded() ? "gave no PNG" : "failed");
    }

    private static String firstLine(String text) {
        String stripped = text.strip();
        int newline = stripped.indexOf('\n');
        return newline < 0 ? stripped : stripped.substring(0, newline);
    }

    /** {@code dumpsys window}: the first known app whose package shows on the mCurrentFocus / mFocusedApp line. */
    @Override
    public String currentApp() throws BackendException, InterruptedException {
        CommandResult result = shell("dumpsys", "window");
        String output = result.stdoutText();
        if (output.isEmpty()) {
            throw new CommandFailedException(result, "gave no output");
        }
        for (String line : output.split("\n")) {
            if (line.contains("mCurrentFocus") || line.contains("mFocusedApp")) {
                for (Map.Entry<String, String> app : apps.entries().entrySet()) {
                    if (line.contains(app.getValue())) {
                        return app.getKey();
                    }
                }
            }
        }
        return "System Home";
    }
}
