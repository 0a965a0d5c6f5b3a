package io.autoglm.fleet.simulator;

import io.autoglm.fleet.events.command.CommandAction;
import io.autoglm.fleet.events.command.CommandFailureReason;
import io.autoglm.fleet.events.command.DeclineReason;
import io.autoglm.fleet.events.device.AgentAction;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * How a simulated phone carries out a command: how long each action takes (a tap is quick, launching an
 * app is not, a Wait takes what it says), a small share that fail as they do in the field (an app that
 * crashes, an element that moved), refusals of what the device does not do or while it is busy, and for
 * an observation a small generated PNG of the screen. Deterministic for a seed; no I/O.
 */
final class CommandExecution {

    /** What the device answers, after {@code delay}. */
    sealed interface Outcome {
        Duration delay();
    }

    record Completed(Duration delay, String output, String png, int width, int height, String currentApp) implements Outcome {
    }

    record Failed(Duration delay, CommandFailureReason reason, String message) implements Outcome {
    }

    /** Refused at once, without running it. */
    record Declined(DeclineReason reason, String message) implements Outcome {
        @Override
        public Duration delay() {
            return Duration.ZERO;
        }
    }

    static final int SCREEN_WIDTH = 108;
    static final int SCREEN_HEIGHT = 240;
    private static final List<String> APPS = List.of("com.android.settings", "com.tencent.mm", "com.android.launcher3", "com.example.shop");

    private final Random random;
    private final double failureRate;
    private final String screen;

    CommandExecution(long seed, double failureRate) {
        this.random = new Random(seed);
        this.failureRate = failureRate;
        this.screen = Base64.getEncoder().encodeToString(png(SCREEN_WIDTH, SCREEN_HEIGHT, seed));
    }

    /**
     * @param supported the actions the device declared
     * @param busy      whether it is running another command now
     */
    synchronized Outcome execute(CommandAction action, List<AgentAction> supported, boolean busy) {
        if (!supported.contains(action.type())) {
            return new Declined(DeclineReason.UNSUPPORTED_ACTION, "this device does not do " + action.type().wireName() + ": it declares "
                    + supported.stream().map(AgentAction::wireName).toList());
        }
        if (busy && random.nextInt(4) == 0) {
            return new Declined(DeclineReason.BUSY, "another command is running and the queue is full");
        }
        Duration delay = delay(action);
        if (random.nextDouble() < failureRate) {
            return action.type() == AgentAction.LAUNCH
                    ? new Failed(delay, CommandFailureReason.APP_NOT_INSTALLED, action.params().getOrDefault("app", "the app") + " is not installed")
                    : new Failed(delay, CommandFailureReason.EXECUTION_ERROR, "input " + action.type().wireName() + " exited 1: device busy");
        }
        String app = APPS.get(random.nextInt(APPS.size()));
        if (action.type() == AgentAction.OBSERVE) {
            return new Completed(delay, null, screen, SCREEN_WIDTH, SCREEN_HEIGHT, app);
        }
        return new Completed(delay, action.type() == AgentAction.NOTE ? action.params().getOrDefault("message", "") : null, null, 0, 0, null);
    }

    private Duration delay(CommandAction action) {
        int millis = switch (action.type()) {
            case LAUNCH -> 400 + random.nextInt(800);
            case TYPE, TYPE_NAME -> 150 + random.nextInt(300);
            case SWIPE, LONG_PRESS -> 300 + random.nextInt(400);
            case WAIT -> waitMillis(action.params().get("duration"));
            case OBSERVE -> 120 + random.nextInt(200);
            default -> 60 + random.nextInt(160);
        };
        return Duration.ofMillis(millis);
    }

    /** {@code "2 seconds"} or {@code "1.5"}; a second when it says nothing readable. */
    private static int waitMillis(String duration) {
        if (duration != null) {
            try {
                return (int) Math.min(10_000, Math.round(Double.parseDouble(duration.replace("seconds", "").replace("second", "").trim()) * 1000));
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        return 1000;
    }

    /** A small screen: a status bar and a few blocks that differ by seed, as a real PNG. */
    static byte[] png(int width, int height, long seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random colours = new Random(seed);
        for (int y = 0; y < height; y++) {
            int rgb = y < 12 ? 0x202020 : (y / 40 % 2 == 0 ? 0xf0f0f0 : colours.nextInt(0xffffff) & 0x7f7f7f | 0x808080);
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
