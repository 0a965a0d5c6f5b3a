package io.autoglm.fleet.deviceagent.backend;

import io.autoglm.fleet.events.agent.ActionGrammar;
import io.autoglm.fleet.events.agent.RelativePoint;
import io.autoglm.fleet.events.command.CommandAction;
import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.events.device.Battery;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the ADB and HDC backends share: the {@code <tool> <flag> <serial>} prefix, running a tool through
 * the {@link CommandRunner} and failing on a non-zero exit, turning a command's arguments into pixels,
 * and the Linux facts both systems read the same way ({@code /proc/meminfo}, {@code nproc},
 * {@code /proc/loadavg}). Subclasses map each action to their tool's command lines.
 */
abstract class ShellBackend implements DeviceBackend {

    /** {@code Take_over} needs a person at the phone; the control plane asks one, the device cannot. */
    private static final Set<AgentAction> SUPPORTED = Collections.unmodifiableSet(EnumSet.complementOf(EnumSet.of(AgentAction.TAKE_OVER)));
    private static final Pattern POINT = Pattern.compile("\\s*\\[?\\s*(-?\\d+)\\s*,\\s*(-?\\d+)\\s*]?\\s*");
    private static final Pattern MEMINFO = Pattern.compile("(?m)^(\\w+):\\s+(\\d+)\\s*kB");
    private static final Duration DEFAULT_WAIT = Duration.ofSeconds(1);

    private final String serial;
    private final List<String> prefix;
    private final CommandRunner runner;
    private final Duration timeout;
    protected final ActionPacing pacing;
    protected final Sleeper sleeper;
    private volatile ScreenSize screenSize;
    private volatile int cores;

    protected ShellBackend(BridgeOptions options, String serialFlag) {
        Objects.requireNonNull(options, "options");
        this.serial = options.serial();
        this.prefix = List.of(options.executable(), serialFlag, options.serial());
        this.runner = options.runner();
        this.timeout = options.timeout();
        this.pacing = options.pacing();
        this.sleeper = options.sleeper();
    }

    @Override
    public String serial() {
        return serial;
    }

    @Override
    public Set<AgentAction> supportedActions() {
        return SUPPORTED;
    }

    @Override
    public ScreenSize screenSize() throws BackendException, InterruptedException {
        ScreenSize known = screenSize;
        if (known == null) {
            known = readScreenSize();
            screenSize = known;
        }
        return known;
    }

    @Override
    public ActionOutcome execute(CommandAction action) throws BackendException, InterruptedException {
        Map<String, String> params = action.params();
        switch (action.type()) {
            case LAUNCH -> {
                String app = params.get("app");
                if (app == null || app.isBlank()) {
                    throw new InvalidActionException("Launch needs an 'app'");
                }
                launch(app);
                return ActionOutcome.done("launched " + app);
            }
            case TAP -> {
                ScreenSize.Pixel at = pixel(action, "element");
                tap(at);
                return ActionOutcome.done("tapped " + at.x() + "," + at.y());
            }
            case DOUBLE_TAP -> {
                ScreenSize.Pixel at = pixel(action, "element");
                doubleTap(at);
                return ActionOutcome.done("double-tapped " + at.x() + "," + at.y());
            }
            case LONG_PRESS -> {
                ScreenSize.Pixel at = pixel(action, "element");
                longPress(at);
                return ActionOutcome.done("long-pressed " + at.x() + "," + at.y());
            }
            case SWIPE -> {
                ScreenSize.Pixel start = pixel(action, "start");
                ScreenSize.Pixel end = pixel(action, "end");
                swipe(start, end);
                return ActionOutcome.done("swiped " + start.x() + "," + start.y() + " -> " + end.x() + "," + end.y());
            }
            case TYPE, TYPE_NAME -> {
                String text = params.getOrDefault("text", "");
                type(text);
                return ActionOutcome.done("typed " + text.codePointCount(0, text.length()) + " characters");
            }
            case BACK -> {
                back();
                return ActionOutcome.done("pressed back");
            }
            case HOME -> {
                home();
                return ActionOutcome.done("pressed home");
            }
            case WAIT -> {
                Duration wait = waitDuration(params.get("duration"));
                sleeper.sleep(wait);
                return ActionOutcome.done("waited " + wait.toMillis() + " ms");
            }
            case NOTE, CALL_API -> {
                return ActionOutcome.done(action.type().wireName() + ": nothing to do on the device");
            }
            case INTERACT -> {
                return ActionOutcome.done("User interaction required");
            }
            case OBSERVE -> {
                Screen screen = observe();
                return new ActionOutcome(screen.screenshot() instanceof Screenshot.Secure ? "observed a secure screen" : "observed", screen);
            }
            default -> throw new UnsupportedActionException(action.type(), "a person must act on the device");
        }
    }

    /** Takes the screenshot and reads the foreground app: what {@code Observe} reports. */
    protected Screen observe() throws BackendException, InterruptedException {
        return new Screen(screenshot(), currentApp());
    }

    protected abstract ScreenSize readScreenSize() throws BackendException, InterruptedException;

    protected abstract void launch(String app) throws BackendException, InterruptedException;

    protected abstract void tap(ScreenSize.Pixel at) throws BackendException, InterruptedException;

    protected abstract void doubleTap(ScreenSize.Pixel at) throws BackendException, InterruptedException;

    protected abstract void longPress(ScreenSize.Pixel at) throws BackendException, InterruptedException;

    protected abstract void swipe(ScreenSize.Pixel start, ScreenSize.Pixel end) throws BackendException, InterruptedException;

    protected abstract void type(String text) throws BackendException, InterruptedException;

    protected abstract void back() throws BackendException, InterruptedException;

    protected abstract void home() throws BackendException, InterruptedException;

    /** {@code <tool> <flag> <serial> shell <args...>}, failing on a non-zero exit. */
    protected CommandResult shell(String... args) throws BackendException, InterruptedException {
        return checked(tool(withShell(args)));
    }

    /** {@code <tool> <flag> <serial> <args...>}, failing on a non-zero exit. */
    protected CommandResult bridge(String... args) throws BackendException, InterruptedException {
        return checked(tool(List.of(args)));
    }

    /** {@code <tool> <flag> <serial> shell <args...>}, whatever its exit code. */
    protected CommandResult shellUnchecked(String... args) throws BackendException, InterruptedException {
        return tool(withShell(args));
    }

    /** {@code <tool> <flag> <serial> <args...>}, whatever its exit code. */
    protected CommandResult bridgeUnchecked(String... args) throws BackendException, InterruptedException {
        return tool(List.of(args));
    }

    private CommandResult tool(List<String> args) throws DeviceUnreachableException, InterruptedException {
        List<String> command = new ArrayList<>(prefix.size() + args.size());
        command.addAll(prefix);
        command.addAll(args);
        return runner.run(command, timeout);
    }

    private static List<String> withShell(String... args) {
        List<String> all = new ArrayList<>(args.length + 1);
        all.add("shell");
        all.addAll(List.of(args));
        return all;
    }

    private static CommandResult checked(CommandResult result) throws CommandFailedException {
        if (!result.succeeded()) {
            throw new CommandFailedException(result, "failed");
        }
        return result;
    }

    protected void pause(Duration duration) throws InterruptedException {
        sleeper.sleep(duration);
    }

    /**
     * The declaration from the identity properties the subclass read and the facts both systems read alike.
     * The fingerprint takes the hardware serial number, which outlives the transport (a phone on USB and over
     * Wi-Fi, {@code ip:port}, is one device); the bridge serial only where the device reports none.
     */
    protected DeviceFacts facts(String model, String manufacturer, String serialNumber, String osVersion)
            throws BackendException, InterruptedException {
        Map<String, String> identifiers = new LinkedHashMap<>();
        identifiers.put("serial", serialNumber.isEmpty() ? serial : serialNumber);
        identifiers.put("manufacturer", manufacturer);
        identifiers.put("model", model);
        return new DeviceFacts(platform(), model, osVersion, screenSize(), cpuCores(), memoryMb(), battery(), identifiers);
    }

    /** Total memory in MB from {@code /proc/meminfo}. */
    protected int memoryMb() throws BackendException, InterruptedException {
        Map<String, Long> meminfo = meminfo();
        Long total = meminfo.get("MemTotal");
        if (total == null) {
            throw new CommandFailedException(shell("cat", "/proc/meminfo"), "has no MemTotal");
        }
        return (int) (total / 1024);
    }

    /** CPU cores: {@code nproc}, or the processor lines of {@code /proc/cpuinfo} where there is no nproc. */
    protected int cpuCores() throws BackendException, InterruptedException {
        CommandResult nproc = shellUnchecked("nproc");
        if (nproc.succeeded()) {
            try {
                int cores = Integer.parseInt(nproc.stdoutText().strip());
                if (cores > 0) {
                    return cores;
                }
            } catch (NumberFormatException ignored) {
                // fall through to /proc/cpuinfo
            }
        }
        CommandResult cpuinfo = shell("cat", "/proc/cpuinfo");
        int cores = 0;
        for (String line : cpuinfo.stdoutText().split("\n")) {
            if (line.startsWith("processor")) {
                cores++;
            }
        }
        if (cores == 0) {
            throw new CommandFailedException(cpuinfo, "lists no processor");
        }
        return cores;
    }

    @Override
    public DeviceVitals vitals() throws BackendException, InterruptedException {
        Map<String, Long> meminfo = meminfo();
        long total = meminfo.getOrDefault("MemTotal", 0L);
        long available = meminfo.getOrDefault("MemAvailable", meminfo.getOrDefault("MemFree", 0L));
        double memoryUsed = total == 0 ? 0 : clamp(1.0 - (double) available / total);
        double cpuLoad = 0;
        CommandResult loadavg = shellUnchecked("cat", "/proc/loadavg");
        if (loadavg.succeeded()) {
            String[] fields = loadavg.stdoutText().strip().split("\\s+");
            try {
                cpuLoad = clamp(Double.parseDouble(fields[0]) / Math.max(1, declaredCores()));
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException ignored) {
                // no load figure: report 0
            }
        }
        return new DeviceVitals(cpuLoad, memoryUsed, battery());
    }

    private int declaredCores() throws BackendException, InterruptedException {
        if (cores == 0) {
            cores = cpuCores();
        }
        return cores;
    }

    /** The battery, or null when the device reports none. */
    protected abstract Battery battery() throws BackendException, InterruptedException;

    private Map<String, Long> meminfo() throws BackendException, InterruptedException {
        Matcher matcher = MEMINFO.matcher(shell("cat", "/proc/meminfo").stdoutText());
        Map<String, Long> values = new HashMap<>();
        while (matcher.find()) {
            values.put(matcher.group(1), Long.parseLong(matcher.group(2)));
        }
        return values;
    }

    /**
     * Turns a screenshot's bytes into what the agent reports: a secure screen when the image is black,
     * else the PNG (re-encoded when the device gave another format).
     */
    protected static Screenshot captured(byte[] image, String source) {
        BufferedImage decoded = Images.decode(image);
        if (decoded == null) {
            return null;
        }
        if (Images.isBlack(decoded)) {
            return new Screenshot.Secure(source + " came back black: a secure window is showing");
        }
        byte[] png = Images.isPng(image) ? image : Images.png(decoded);
        return new Screenshot.Captured(png, decoded.getWidth(), decoded.getHeight());
    }

    private ScreenSize.Pixel pixel(CommandAction action, String name) throws BackendException, InterruptedException {
        String value = action.params().get(name);
        if (value == null) {
            throw new InvalidActionException(action.type().wireName() + " needs '" + name + "' as [x,y], relative 0-" + RelativePoint.MAX);
        }
        Matcher matcher = POINT.matcher(value);
        if (!matcher.matches()) {
            throw new InvalidActionException(action.type().wireName() + "'s '" + name + "' must be [x,y], got '" + value + "'");
        }
        RelativePoint point;
        try {
            point = new RelativePoint(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)));
        } catch (IllegalArgumentException e) {
            throw new InvalidActionException(action.type().wireName() + "'s '" + name + "': " + e.getMessage());
        }
        return screenSize().pixel(point);
    }

    /** Open-AutoGLM's reading of {@code duration="2 seconds"}: the number, 1 s when missing or not a number. */
    static Duration waitDuration(String value) throws InvalidActionException {
        if (value == null) {
            return DEFAULT_WAIT;
        }
        double seconds;
        try {
            seconds = Double.parseDouble(value.replace("seconds", "").replace("second", "").strip());
        } catch (NumberFormatException e) {
            return DEFAULT_WAIT;
        }
        if (seconds < 0 || seconds > ActionGrammar.MAX_WAIT.toSeconds() || Double.isNaN(seconds)) {
            throw new InvalidActionException("Wait is 0 to " + ActionGrammar.MAX_WAIT.toSeconds() + " seconds, got '" + value + "'");
        }
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    /** A swipe's duration as Open-AutoGLM computes it: squared pixel distance / 1000, clamped to [min, max] ms. */
    static int swipeMillis(ScreenSize.Pixel start, ScreenSize.Pixel end, int min, int max) {
        long dx = start.x() - end.x();
        long dy = start.y() - end.y();
        long millis = (dx * dx + dy * dy) / 1000;
        return (int) Math.max(min, Math.min(millis, max));
    }

    private static double clamp(double value) {
        return Math.max(0, Math.min(1, value));
    }
}
