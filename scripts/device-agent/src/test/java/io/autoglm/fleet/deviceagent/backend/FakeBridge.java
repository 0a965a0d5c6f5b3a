package io.autoglm.fleet.deviceagent.backend;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A fake {@code adb} / {@code hdc} on disk (the {@code fake-bridge.sh} resource, made executable) with its
 * canned answers and the log of every invocation, for driving the real {@link CommandRunner} in tests.
 */
public final class FakeBridge {

    public static final String SERIAL = "SER123";

    private final Path dir;
    private final Path executable;
    final List<Duration> sleeps = new ArrayList<>();

    private FakeBridge(Path dir, Path executable) {
        this.dir = dir;
        this.executable = executable;
    }

    /** Installs the fake as {@code <dir>/bin/<tool>}. */
    public static FakeBridge install(Path dir, String tool) {
        try {
            Path bin = Files.createDirectories(dir.resolve("bin"));
            Files.createDirectories(dir.resolve("answers"));
            Files.createDirectories(dir.resolve("device"));
            Path executable = bin.resolve(tool);
            try (InputStream in = FakeBridge.class.getResourceAsStream("fake-bridge.sh")) {
                Files.write(executable, in.readAllBytes());
            }
            Files.setPosixFilePermissions(executable, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.createFile(dir.resolve("invocations.log"));
            return new FakeBridge(dir, executable);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path executable() {
        return executable;
    }

    public Path bin() {
        return executable.getParent();
    }

    /** The runner with {@code FAKE_BRIDGE_DIR} set, the fake's folder first on the {@code PATH}. */
    public CommandRunner runner() {
        return new CommandRunner(Map.of("FAKE_BRIDGE_DIR", dir.toString(),
                "PATH", bin() + ":" + System.getenv("PATH")), null);
    }

    /** Options that run the fake by its full path, without pauses (every pause is recorded in {@link #sleeps}). */
    public BridgeOptions options() {
        return new BridgeOptions(executable.toString(), SERIAL, runner(), Duration.ofSeconds(10), ActionPacing.NONE,
                duration -> {
                    if (!duration.isZero()) {
                        sleeps.add(duration);
                    }
                });
    }

    public FakeBridge answer(String arguments, String stdout) {
        return answer(arguments, stdout.getBytes(StandardCharsets.UTF_8));
    }

    public FakeBridge answer(String arguments, byte[] stdout) {
        write(arguments, ".out", stdout);
        return this;
    }

    public FakeBridge fail(String arguments, int exitCode, String stderr) {
        write(arguments, ".exit", Integer.toString(exitCode).getBytes(StandardCharsets.UTF_8));
        write(arguments, ".err", stderr.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    public FakeBridge stall(String arguments, int seconds) {
        write(arguments, ".sleep", Integer.toString(seconds).getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** A file the fake's {@code file recv} / {@code pull} hands out for a remote path with this name. */
    public FakeBridge deviceFile(String name, byte[] content) {
        try {
            Files.write(dir.resolve("device").resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Every invocation so far, each its full argument list (the tool first). */
    public List<List<String>> invocations() {
        try {
            String log = Files.readString(dir.resolve("invocations.log"), StandardCharsets.UTF_8);
            List<List<String>> invocations = new ArrayList<>();
            for (String record : log.split("\036")) {
                if (record.isEmpty()) {
                    continue;
                }
                List<String> args = new ArrayList<>(Arrays.asList(record.split("\037", -1)));
                args.remove(args.size() - 1);
                invocations.add(args);
            }
            return invocations;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The invocations after the {@code <tool> <flag> <serial>} prefix, as the command line reads. */
    public List<String> commandLines() {
        return invocations().stream().map(args -> String.join(" ", args.subList(3, args.size()))).toList();
    }

    private void write(String arguments, String suffix, byte[] content) {
        try {
            Files.write(dir.resolve("answers").resolve(fileName(arguments) + suffix), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fake's file name for an argument list: every byte outside [A-Za-z0-9._-] becomes '_'. */
    private static String fileName(String arguments) {
        StringBuilder name = new StringBuilder();
        for (byte b : arguments.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            name.append((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' ? c : '_');
        }
        return name.toString();
    }

    /** A small real image: a gradient with a bar, so it is neither black nor uniform. */
    public static BufferedImage image(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        for (int y = 0; y < height; y++) {
            g.setColor(new Color(40, (y * 255) / height, 200));
            g.drawLine(0, y, width, y);
        }
        g.setColor(Color.WHITE);
        g.fillRect(width / 4, height / 3, width / 2, height / 10);
        g.dispose();
        return image;
    }

    public static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no " + format + " writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] black(int width, int height, String format) {
        return encode(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), format);
    }
}
