package io.autoglm.fleet.simulator;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.command.Requirements;
import io.autoglm.fleet.events.command.RoutingStrategy;
import io.autoglm.fleet.events.device.Platform;
import io.autoglm.fleet.events.task.TaskAnswer;
import io.autoglm.fleet.events.task.TaskPaused;
import io.autoglm.fleet.events.task.TaskRequested;
import io.cloudevents.CloudEvent;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * The simulated operators' AutoGLM tasks: each tenant submits {@code perMinute} tasks a minute (spread evenly, starting
 * after the fleet had time to register), instructions the simulated agent model and the simulated phones' apps know, in
 * English and Chinese, on any Android or HarmonyOS phone; a share asks a person to confirm sensitive actions (a purchase's
 * payment tap) and to act on a take-over (the shop's sign-in), and the simulated operator answers: it confirms most and
 * refuses a few, and signs in on the phone before it says a take-over is done.
 */
final class TaskTraffic {

    static final URI SOURCE = URI.create("/simulator/operators");

    /** Instructions the simulated agent model reads into goals of the simulated phones' apps (and whether they touch money). */
    private record Instruction(String text, String language, boolean sensitive) {
    }

    private static final List<Instruction> INSTRUCTIONS = List.of(
            new Instruction("Open Settings", "en", false),
            new Instruction("打开设置", "zh", false),
            new Instruction("Turn on Wi-Fi", "en", false),
            new Instruction("关闭蓝牙", "zh", false),
            new Instruction("Turn on dark theme", "en", false),
            new Instruction("Send a message to Alice saying see you at six", "en", false),
            new Instruction("给小明发消息说明天见", "zh", false),
            new Instruction("Search for headphones in the shop", "en", false),
            new Instruction("What is the Android version of this phone?", "en", false),
            new Instruction("Buy a pair of running shoes in the shop", "en", true),
            new Instruction("在商城买一个 Phone case", "zh", true),
            new Instruction("Go to the home screen", "en", false));

    private static final Requirements PHONES = new Requirements(List.of(Platform.ANDROID, Platform.HARMONYOS), null, null, false, null, null);

    private final List<String> tenants;
    private final double perMinute;
    private final String model;
    private final String run;
    private final Random random;
    private final long firstAt;
    private final double refuseShare;
    private final long[] sent;

    /**
     * @param perMinute   tasks a minute per tenant (0: none)
     * @param model       the agent model the tasks name (a model-store reference), or null for the agent function's default
     * @param run         this run's mark in task ids (the stack's tables outlive a run)
     * @param startAt     when the first tasks may go (after the devices registered)
     * @param refuseShare the share of confirmations the operator refuses
     */
    TaskTraffic(List<String> tenants, double perMinute, String model, String run, long seed, Instant startAt, double refuseShare) {
        this.tenants = List.copyOf(tenants);
        if (perMinute < 0 || !Double.isFinite(perMinute)) {
            throw new IllegalArgumentException("tasks per minute must be >= 0, got " + perMinute);
        }
        this.perMinute = perMinute;
        this.model = model;
        this.run = Objects.requireNonNull(run, "run");
        this.random = new Random(seed ^ 0x7A5C);
        this.firstAt = startAt.toEpochMilli();
        this.refuseShare = refuseShare;
        this.sent = new long[tenants.size()];
    }

    /** The tasks due by {@code now}, each a {@code task.requested} for the sink. */
    synchronized List<Outgoing> due(Instant now) {
        List<Outgoing> due = new ArrayList<>();
        if (perMinute == 0 || now.toEpochMilli() < firstAt) {
            return due;
        }
        double owed = (now.toEpochMilli() - firstAt) / 60_000.0 * perMinute + 1; // the first at once
        for (int t = 0; t < tenants.size(); t++) {
            while (sent[t] < (long) owed) {
                sent[t]++;
                due.add(Outgoing.binary(tenants.get(t), request(tenants.get(t), sent[t])));
            }
        }
        return due;
    }

    private CloudEvent request(String tenant, long n) {
        Instruction instruction = INSTRUCTIONS.get(random.nextInt(INSTRUCTIONS.size()));
        String taskId = "task-" + tenant + "-" + run + "-" + n;
        TaskRequested task = new TaskRequested(taskId, instruction.text(), null, PHONES, RoutingStrategy.LOAD_BALANCE, model, 30, null,
                instruction.sensitive(), instruction.language());
        return Events.newEvent(EventType.TASK_REQUESTED, SOURCE, tenant, taskId, task).build();
    }

    /** The operator's answer to a paused step: a confirmation given (or, for a few, refused), a take-over done. */
    synchronized CloudEvent answer(String tenant, EventType asked, TaskPaused paused) {
        EventType type;
        String comment;
        if (asked == EventType.TASK_TAKEOVER_REQUESTED) {
            type = EventType.TASK_TAKEOVER_DONE;
            comment = "signed in on the phone";
        } else if (random.nextDouble() < refuseShare) {
            type = EventType.TASK_CONFIRMATION_REFUSED;
            comment = "not this one";
        } else {
            type = EventType.TASK_CONFIRMATION_GIVEN;
            comment = "go ahead";
        }
        TaskAnswer answer = new TaskAnswer(paused.taskId(), paused.stepId(), "operator@" + tenant, comment);
        return Events.newEvent(type, SOURCE, tenant, paused.taskId(), answer).build();
    }
}
