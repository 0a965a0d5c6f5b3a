package io.autoglm.fleet.simulator;

import io.autoglm.fleet.events.command.CommandAction;
import io.autoglm.fleet.events.command.CommandFailureReason;
import io.autoglm.fleet.events.command.DeclineReason;
import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.simulator.phone.PhoneActionFailed;
import io.autoglm.fleet.simulator.phone.SimulatedPhone;
import io.autoglm.fleet.simulator.phone.SimulatedScreenshot;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * How a simulated device carries out a command on its {@link SimulatedPhone}: how long each action takes
 * (a tap is quick, launching an app is not, a Wait takes what it says), a small share that fail as they
 * do in the field (an app that crashes, an element that moved) and leave the phone as it was, refusals
 * of what the device does not do or while it is busy; otherwise the phone changes as the action says
 * (an app the phone lacks, or a point it cannot read, fails), and an observation is the phone's screen as
 * a PNG with the app in front. Deterministic for a seed; no I/O.
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

    private final Random random;
    private final double failureRate;
    private final boolean atOnce;

    CommandExecution(long seed, double failureRate) {
        this(seed, failureRate, false);
    }

    /**
     * @param atOnce every command answered at once, never failed nor refused as busy (what a round-trip measurement
     *               wants of its devices: the time is the system's alone)
     */
    CommandExecution(long seed, double failureRate, boolean atOnce) {
        this.random = new Random(seed);
        this.failureRate = atOnce ? 0 : failureRate;
        this.atOnce = atOnce;
    }

    /**
     * @param supported the actions the device declared
     * @param busy      whether it is running another command now
     * @param phone     the device's phone, which the action changes
     */
    Outcome execute(CommandAction action, List<AgentAction> supported, boolean busy, SimulatedPhone phone) {
        if (!supported.contains(action.type())) {
            return new Declined(DeclineReason.UNSUPPORTED_ACTION, "this device does not do " + action.type().wireName() + ": it declares "
                    + supported.stream().map(AgentAction::wireName).toList());
        }
        Duration delay;
        boolean fails;
        // the draws under the lock (one generator for the fleet, deterministic for a seed); the phone, which has its own,
        // outside it: a screenshot is rendered while other devices decide theirs
        synchronized (random) {
            if (busy && !atOnce && random.nextInt(4) == 0) {
                return new Declined(DeclineReason.BUSY, "another command is running and the queue is full");
            }
            delay = atOnce ? Duration.ZERO : delay(action);
            fails = random.nextDouble() < failureRate;
        }
        if (fails) {
            return action.type() == AgentAction.LAUNCH
                    ? new Failed(delay, CommandFailureReason.APP_NOT_INSTALLED, action.params().getOrDefault("app", "the app") + " is not installed")
                    : new Failed(delay, CommandFailureReason.EXECUTION_ERROR, "input " + action.type().wireName() + " exited 1: device busy");
        }
        if (action.type() == AgentAction.OBSERVE) {
            return new Completed(delay, null, Base64.getEncoder().encodeToString(phone.screenshot()), SimulatedScreenshot.WIDTH,
                    SimulatedScreenshot.HEIGHT, phone.currentApp());
        }
        try {
            phone.execute(action);
        } catch (PhoneActionFailed failed) {
            return new Failed(delay, failed.reason(), failed.getMessage());
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
}
