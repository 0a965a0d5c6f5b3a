package io.autoglm.fleet.agent;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.agent.ActionGrammar;
import io.autoglm.fleet.events.agent.AgentTurn;
import io.autoglm.fleet.events.agent.ScreenshotRef;
import io.autoglm.fleet.events.agent.StepAction;
import io.autoglm.fleet.events.command.CommandAction;
import io.autoglm.fleet.events.command.CommandDispatched;
import io.autoglm.fleet.events.command.CommandFailureReason;
import io.autoglm.fleet.events.command.CommandState;
import io.autoglm.fleet.events.command.CommandTimings;
import io.autoglm.fleet.events.command.Placement;
import io.autoglm.fleet.events.inference.AgentStep;
import io.autoglm.fleet.events.inference.AgentStepResult;
import io.autoglm.fleet.events.inference.FailureReason;
import io.autoglm.fleet.events.inference.InferenceRequested;
import io.autoglm.fleet.events.task.StepInProgress;
import io.autoglm.fleet.events.task.StepSummary;
import io.autoglm.fleet.events.task.StepTimings;
import io.autoglm.fleet.events.task.TaskAnswer;
import io.autoglm.fleet.events.task.TaskAssigned;
import io.autoglm.fleet.events.task.TaskCanceled;
import io.autoglm.fleet.events.task.TaskCompleted;
import io.autoglm.fleet.events.task.TaskFailed;
import io.autoglm.fleet.events.task.TaskFailureReason;
import io.autoglm.fleet.events.task.TaskHandedOver;
import io.autoglm.fleet.events.task.TaskPaused;
import io.autoglm.fleet.events.task.TaskPhase;
import io.autoglm.fleet.events.task.TaskRecord;
import io.autoglm.fleet.events.task.TaskRefs;
import io.autoglm.fleet.events.task.TaskRequested;
import io.autoglm.fleet.events.task.TaskState;
import io.autoglm.fleet.events.task.TaskStepCompleted;
import io.autoglm.fleet.events.task.TaskTimer;
import io.autoglm.fleet.events.task.TimerKind;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import static io.autoglm.fleet.events.task.TaskRefs.Part;

/**
 * Moves one AutoGLM task through its life, one input at a time: given its record (or none), one input and the clock, the next
 * record and the effects to carry out. Plain Java, no I/O; the agent function's shell reads the record, carries the effects
 * out and writes it.
 *
 * <pre>
 * task.requested -> PLACING -> (placed) RUNNING, each step:
 *   OBSERVING (observation command) -> THINKING (agent-step inference) -> the parsed action:
 *     a device action -> ACTING (its command) -> its outcome -> the next step
 *     Wait            -> WAITING (a WAIT timer, no thread held)             -> the next step
 *     Note, Call_API, Interact (nothing on the device)                      -> the next step
 *     a sensitive Tap, when the task asks for confirmation -> AWAITING_CONFIRMATION -> given: ACTING; refused or no answer: FAILED
 *     Take_over (or a screen that cannot be captured)      -> AWAITING_TAKEOVER     -> done: the next step; no answer: FAILED
 *     finish          -> COMPLETED
 * </pre>
 *
 * <ul>
 * <li><b>Once only.</b> The record names the one ref it waits on ({@link TaskRecord#awaiting()}); every id the session starts
 * is derived from the record ({@link TaskRefs}), so the same input decided again from the same record gives the same command
 * ids, and an input for anything else (an old step's outcome, a second reply, a copy of an applied input, anything after the
 * end) is counted as ignored and applied never. An action is never sent twice: a new step, on this device or the next, always
 * begins with a new observation.</li>
 * <li><b>The model.</b> A reply that is not an action is a failed step and the next step asks again; two in a row fail the task
 * (MODEL_UNPARSEABLE, with the raw text). A failed inference is a failed step too: one the backend may get over (unavailable,
 * over capacity, timed out) is taken again up to {@link SessionLimits#modelRetries()} times in a row (then MODEL_FAILED); one it
 * will not (unknown model, bad request, refused credential) fails the task at once (MODEL_REFUSED).</li>
 * <li><b>A person.</b> With {@code confirmSensitive} a sensitive Tap waits for a yes (the tap runs) or a no (the task fails
 * CONFIRMATION_REFUSED, as Open-AutoGLM ends a task whose sensitive operation the user cancels); a Take_over, or a screen the
 * device cannot capture, waits for the person to say done. Without a person ({@code confirmSensitive} false) a sensitive Tap
 * runs, and a Take_over or uncapturable screen fails the task (TAKEOVER_UNATTENDED): nobody is there to act.</li>
 * <li><b>The device.</b> It is lost when it goes OFFLINE or away for good, when the observation does not succeed, when an
 * action's command expires, times out or finds the device unreachable, or when a step gets no outcome within {@link
 * SessionLimits#deviceStepTimeout()}: the device is released and the task placed again on another qualifying device (never one
 * it lost), its history kept and the interrupted step taken again there; a task pinned to its device, or past {@link
 * SessionLimits#maxHandOvers()}, fails instead. Other failed actions are steps like any other: the model sees the screen and
 * goes on.</li>
 * <li><b>Ends.</b> After {@code maxSteps} steps without finish: MAX_STEPS; at the deadline (the request's, or {@link
 * SessionLimits#timeLimit()} after it was asked for): DEADLINE, at once, whatever is in flight. Cancel ends the task at once
 * when nothing is running on the device (placing, thinking, waiting, paused for a person) and otherwise when the command in
 * flight returns, before anything new is started. Every end releases the device.</li>
 * <li><b>Timings.</b> Each step's wall time is split into the model's (the inference's total), the device's (its commands'
 * execution), the waits (Wait, a person) and our overhead: what is left.</li>
 * </ul>
 */
public final class TaskSession {

    /** Unparseable replies in a row that fail a task. */
    public static final int UNPARSEABLE_LIMIT = 2;
    /** The most characters of the model's thinking kept per step and in its history. */
    public static final int MAX_THINKING = 4096;
    /** The most characters of a bad reply's raw text kept. */
    public static final int MAX_RAW = 32_768;
    static final int MAX_DETAIL = 4096;

    private static final Set<FailureReason> FOR_GOOD = EnumSet.of(FailureReason.BAD_REQUEST, FailureReason.UNKNOWN_MODEL,
            FailureReason.CREDENTIAL_REFUSED);

    private final SessionLimits limits;

    public TaskSession(SessionLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public SessionLimits limits() {
        return limits;
    }

    /**
     * Decides what {@code input} does to the task.
     *
     * @param current the task's record, or null when the table has none
     * @param now     this function's clock
     */
    public Decision decide(TaskRecord current, TaskInput input, Instant now) {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(now, "now");
        if (input instanceof TaskInput.Requested requested) {
            return current == null ? requested(requested, now) : ignored(current, now, "task " + current.taskId() + " exists already");
        }
        if (current == null) {
            return new Decision(null, List.of(), Verdict.IGNORED, "no task " + input.taskId());
        }
        if (current.ended()) {
            return ignored(current, now, "task " + current.taskId() + " ended " + current.state() + " already");
        }
        Draft task = new Draft(current, now);
        String wrong;
        if (input instanceof TaskInput.Placed placed) {
            wrong = placed(task, placed);
        } else if (input instanceof TaskInput.NotPlaced notPlaced) {
            wrong = notPlaced(task, notPlaced);
        } else if (input instanceof TaskInput.CommandOutcome outcome) {
            wrong = commandOutcome(task, outcome);
        } else if (input instanceof TaskInput.ModelReplied replied) {
            wrong = thinking(task, replied.requestId()) ? null : "not the inference the task waits on";
            if (wrong == null) {
                modelReplied(task, replied.result());
            }
        } else if (input instanceof TaskInput.ModelFailed failed) {
            wrong = thinking(task, failed.requestId()) ? null : "not the inference the task waits on";
            if (wrong == null) {
                modelFailed(task, failed.reason(), failed.reason() + (failed.message() == null ? "" : ": " + failed.message()));
            }
        } else if (input instanceof TaskInput.TimerFired fired) {
            wrong = timer(task, fired.timer());
        } else if (input instanceof TaskInput.Answered answered) {
            wrong = switch (answered.kind()) {
                case CONFIRMED -> confirmed(task, answered.answer());
                case REFUSED -> refused(task, answered.answer());
                case TAKEN_OVER -> takenOver(task, answered.answer());
            };
        } else if (input instanceof TaskInput.CancelRequested cancel) {
            wrong = cancel(task, cancel.cancel().reason(), cancel.cancel().by());
        } else {
            TaskInput.DeviceLost lost = (TaskInput.DeviceLost) input;
            wrong = task.deviceId == null || !task.deviceId.equals(lost.deviceId()) ? "device " + lost.deviceId() + " is not the task's" : null;
            if (wrong == null) {
                deviceLost(task, lost.why());
            }
        }
        if (wrong != null) {
            return ignored(current, now, wrong);
        }
        return task.decision();
    }

    // --- placing ---

    private Decision requested(TaskInput.Requested requested, Instant now) {
        TaskRequested request = requested.request();
        Draft task = new Draft(requested.tenant(), request, now, request.deadline() != null ? request.deadline() : now.plus(limits.timeLimit()));
        if (!task.deadline.isAfter(now)) {
            fail(task, TaskFailureReason.DEADLINE, "its deadline " + task.deadline + " had passed when it was asked for", null);
            return task.decision();
        }
        task.timer(TimerKind.TASK_DEADLINE, request.taskId(), null, task.deadline);
        place(task);
        task.note = "placing";
        return task.decision();
    }

    private void place(Draft task) {
        String ref = TaskRefs.of(TaskRefs.step(task.taskId, ++task.sequence), Part.PLACE);
        task.state = TaskState.PLACING;
        task.phase = null;
        task.stepId = null;
        task.current = null;
        task.until = null;
        task.awaiting = ref;
        task.timer(TimerKind.STEP_TIMEOUT, ref, null, task.now.plus(limits.placementTimeout()));
        task.effects.add(new TaskEffect.Place(task.taskId, ref, task.request.deviceId(), task.request.requirements(), task.request.strategy(),
                task.lostDevices));
    }

    private String placed(Draft task, TaskInput.Placed placed) {
        if (task.state != TaskState.PLACING || !placed.placementId().equals(task.awaiting)) {
            return "not the placement the task waits on";
        }
        task.deviceId = placed.deviceId();
        if (task.handOvers > 0) {
            String from = task.lostDevices.get(task.lostDevices.size() - 1);
            task.announce(EventType.TASK_HANDED_OVER, new TaskHandedOver(task.taskId, from, placed.deviceId(),
                    task.handOverReason + (placed.reason() == null ? "" : "; " + placed.deviceId() + " chosen: " + placed.reason()), task.handOvers,
                    task.now));
            task.handOverReason = null;
        } else {
            task.announce(EventType.TASK_ASSIGNED, new TaskAssigned(task.taskId, placed.deviceId(), placed.reason(), task.now));
        }
        nextStep(task);
        return null;
    }

    private String notPlaced(Draft task, TaskInput.NotPlaced notPlaced) {
        if (task.state != TaskState.PLACING || !notPlaced.placementId().equals(task.awaiting)) {
            return "not the placement the task waits on";
        }
        String why = notPlaced.reason() == null ? "no device qualifies" : notPlaced.reason();
        if (task.handOvers > 0) {
            fail(task, TaskFailureReason.DEVICE_LOST_NO_OTHER, task.handOverReason + "; no other device qualifies: " + why, null);
        } else {
            fail(task, TaskFailureReason.NO_DEVICE, why, null);
        }
        return null;
    }

    // --- the steps ---

    /** The next step begins (or the task ends: a cancel waiting, its steps spent). */
    private void nextStep(Draft task) {
        if (task.cancelReason != null) {
            end(task, TaskState.CANCELED);
            return;
        }
        if (task.steps >= task.request.maxSteps()) {
            fail(task, TaskFailureReason.MAX_STEPS, "took its " + task.request.maxSteps() + " steps without the model saying finish", null);
            return;
        }
        task.stepId = TaskRefs.step(task.taskId, ++task.sequence);
        task.current = StepInProgress.begun(task.steps + 1, task.stepId, task.now);
        task.state = TaskState.RUNNING;
        task.until = null;
        send(task, TaskPhase.OBSERVING, Part.OBSERVE, CommandAction.OBSERVE, "observe");
        task.note = "step " + task.current.number() + " observing";
    }

    private void send(Draft task, TaskPhase phase, Part part, CommandAction action, String what) {
        String commandId = TaskRefs.of(task.stepId, part);
        task.phase = phase;
        task.awaiting = commandId;
        task.timer(TimerKind.STEP_TIMEOUT, commandId, task.stepId, task.now.plus(limits.deviceStepTimeout()));
        task.effects.add(new TaskEffect.SendCommand(new CommandDispatched(commandId, null, task.deviceId, task.tenant, Placement.DEVICE, action,
                task.request.strategy(), "task " + task.taskId + " step " + task.current.number() + ": " + what, task.now,
                task.now.plus(limits.commandTtl()), limits.commandTimeout().toMillis())));
    }

    private String commandOutcome(Draft task, TaskInput.CommandOutcome outcome) {
        boolean onDevice = task.state == TaskState.RUNNING && (task.phase == TaskPhase.OBSERVING || task.phase == TaskPhase.ACTING);
        if (!onDevice || !outcome.commandId().equals(task.awaiting)) {
            return "not the command the task waits on";
        }
        if (!outcome.deviceId().equals(task.deviceId)) {
            return "command " + outcome.commandId() + " reported by " + outcome.deviceId() + ", not the task's device " + task.deviceId;
        }
        String said = outcome.commandId() + " ended " + outcome.state() + (outcome.detail() == null ? "" : " (" + outcome.detail() + ")");
        if (task.phase == TaskPhase.OBSERVING) {
            if (outcome.state() != CommandState.SUCCEEDED) {
                deviceLost(task, "its observation " + said);
                return null;
            }
            ScreenshotRef screenshot = outcome.observation() == null ? null : outcome.observation().screenshot();
            String app = outcome.observation() == null ? null : outcome.observation().currentApp();
            task.current = task.current.observed(screenshot, app, executionMs(outcome.timings()));
            if (task.cancelReason != null) {
                end(task, TaskState.CANCELED);
            } else if (screenshot == null) {
                personNeeded(task, null, "the screen cannot be captured (a secure window is showing" + (app == null ? "" : " in " + app)
                        + "): a person must act on the device");
            } else {
                think(task);
            }
            return null;
        }
        boolean lost = outcome.state() == CommandState.TIMED_OUT || outcome.state() == CommandState.EXPIRED
                || outcome.state() == CommandState.FAILED && outcome.failure() == CommandFailureReason.DEVICE_UNREACHABLE;
        if (lost) {
            deviceLost(task, "its action " + said);
            return null;
        }
        task.current = task.current.acted(executionMs(outcome.timings()));
        stepEnded(task, outcome.commandId(), outcome.state(), outcome.detail(), null, null);
        nextStep(task);
        return null;
    }

    private void think(Draft task) {
        String requestId = TaskRefs.of(task.stepId, Part.THINK);
        task.phase = TaskPhase.THINKING;
        task.awaiting = requestId;
        task.timer(TimerKind.STEP_TIMEOUT, requestId, task.stepId, task.now.plus(limits.modelTimeout()));
        TaskRequested request = task.request;
        AgentStep step = new AgentStep(task.taskId, request.instruction(), task.history, task.current.screenshot(), task.current.currentApp(),
                request.language());
        task.effects.add(new TaskEffect.RequestInference(new InferenceRequested(requestId, request.model() == null ? limits.defaultModel()
                : request.model(), null, null, null, null, step)));
        task.note = "step " + task.current.number() + " thinking";
    }

    private boolean thinking(Draft task, String requestId) {
        return task.state == TaskState.RUNNING && task.phase == TaskPhase.THINKING && requestId.equals(task.awaiting);
    }

    private void modelReplied(Draft task, AgentStepResult result) {
        long modelMs = Math.round(Math.max(0, result.totalMs()));
        if (result.action() == null) {
            task.current = task.current.decided(result.thinking(), null, modelMs);
            task.unparseableInARow++;
            String raw = clip(result.raw(), MAX_RAW);
            stepEnded(task, null, null, "the model's reply is not an action: " + result.unparseable(), clip(result.unparseable(), MAX_DETAIL), raw);
            if (task.unparseableInARow >= UNPARSEABLE_LIMIT) {
                fail(task, TaskFailureReason.MODEL_UNPARSEABLE, "the model's reply was not an action " + task.unparseableInARow
                        + " times in a row, the last: " + result.unparseable(), raw);
            } else {
                nextStep(task);
            }
            return;
        }
        StepAction action = result.action();
        task.unparseableInARow = 0;
        task.modelFailuresInARow = 0;
        task.current = task.current.decided(result.thinking(), action, modelMs);
        task.history.add(new AgentTurn(task.current.currentApp(), ActionGrammar.formatTurn(clip(result.thinking(), MAX_THINKING), action)));
        while (task.history.size() > TaskRecord.HISTORY_LIMIT) {
            task.history.remove(0);
        }
        act(task, action);
    }

    private void act(Draft task, StepAction action) {
        if (action instanceof StepAction.Finish finish) {
            stepEnded(task, null, null, null, null, null);
            task.outcome = finish.message();
            end(task, TaskState.COMPLETED);
        } else if (action instanceof StepAction.Wait wait) {
            task.phase = TaskPhase.WAITING;
            task.awaiting = TaskRefs.of(task.stepId, Part.WAIT);
            task.until = task.now.plus(wait.duration());
            task.current = task.current.paused(task.now);
            task.timer(TimerKind.WAIT, task.awaiting, task.stepId, task.until);
            task.note = "step " + task.current.number() + " waiting " + wait.duration().toMillis() + " ms";
        } else if (action instanceof StepAction.TakeOver takeOver) {
            personNeeded(task, action, takeOver.message());
        } else if (action instanceof StepAction.Tap tap && tap.sensitiveMessage() != null && task.request.confirmSensitive()) {
            pause(task, TaskState.AWAITING_CONFIRMATION, Part.CONFIRM, TimerKind.CONFIRMATION_TIMEOUT, limits.confirmationTimeout(),
                    EventType.TASK_CONFIRMATION_REQUESTED, action, tap.sensitiveMessage());
        } else {
            Optional<CommandAction> command = CommandAction.forStep(action);
            if (command.isPresent()) {
                send(task, TaskPhase.ACTING, Part.ACT, command.get(), action.name());
                task.note = "step " + task.current.number() + " acting: " + action.name();
            } else {
                stepEnded(task, null, null, action.name() + ": nothing to do on the device", null, null);
                nextStep(task);
            }
        }
    }

    private void modelFailed(Draft task, FailureReason reason, String why) {
        stepEnded(task, null, null, "the model failed: " + why, null, null);
        if (FOR_GOOD.contains(reason)) {
            fail(task, TaskFailureReason.MODEL_REFUSED, "the model refused the step: " + why, null);
        } else if (++task.modelFailuresInARow > limits.modelRetries()) {
            fail(task, TaskFailureReason.MODEL_FAILED, "the model failed " + task.modelFailuresInARow + " times in a row, the last: " + why, null);
        } else {
            nextStep(task);
        }
    }

    // --- a person ---

    private void personNeeded(Draft task, StepAction action, String message) {
        if (!task.request.confirmSensitive()) {
            fail(task, TaskFailureReason.TAKEOVER_UNATTENDED, "a person must act on the device (" + message
                    + ") and the task runs unattended (confirmSensitive is false)", null);
            return;
        }
        pause(task, TaskState.AWAITING_TAKEOVER, Part.TAKEOVER, TimerKind.TAKEOVER_TIMEOUT, limits.takeoverTimeout(),
                EventType.TASK_TAKEOVER_REQUESTED, action, message);
    }

    private void pause(Draft task, TaskState state, Part part, TimerKind kind, Duration timeout, EventType question, StepAction action,
                       String message) {
        task.state = state;
        task.phase = null;
        task.awaiting = TaskRefs.of(task.stepId, part);
        task.until = task.now.plus(timeout);
        task.current = task.current.paused(task.now);
        task.timer(kind, task.awaiting, task.stepId, task.until);
        task.announce(question, new TaskPaused(task.taskId, task.stepId, task.current.number(), task.deviceId, action, message,
                task.current.screenshot(), task.until));
        task.note = "step " + task.current.number() + " " + state;
    }

    private String asked(Draft task, TaskAnswer answer, TaskState state, Part part) {
        if (task.state != state || !TaskRefs.of(answer.stepId(), part).equals(task.awaiting)) {
            return "not the question the task waits on (" + answer.stepId() + ")";
        }
        task.current = task.current.resumed(task.now);
        return null;
    }

    private String confirmed(Draft task, TaskAnswer answer) {
        String wrong = asked(task, answer, TaskState.AWAITING_CONFIRMATION, Part.CONFIRM);
        if (wrong == null) {
            task.state = TaskState.RUNNING;
            task.until = null;
            StepAction action = task.current.action();
            send(task, TaskPhase.ACTING, Part.ACT, CommandAction.forStep(action).orElseThrow(), action.name() + ", confirmed by " + who(answer));
            task.note = "step " + task.current.number() + " confirmed";
        }
        return wrong;
    }

    private String refused(Draft task, TaskAnswer answer) {
        String wrong = asked(task, answer, TaskState.AWAITING_CONFIRMATION, Part.CONFIRM);
        if (wrong == null) {
            String why = "refused by " + who(answer) + (answer.comment() == null ? "" : ": " + answer.comment());
            stepEnded(task, null, null, why, null, null);
            fail(task, TaskFailureReason.CONFIRMATION_REFUSED, "the sensitive action " + describe(task.timeline.get(task.timeline.size() - 1).action())
                    + " was " + why, null);
        }
        return wrong;
    }

    private String takenOver(Draft task, TaskAnswer answer) {
        String wrong = asked(task, answer, TaskState.AWAITING_TAKEOVER, Part.TAKEOVER);
        if (wrong == null) {
            stepEnded(task, null, null, "taken over by " + who(answer) + (answer.comment() == null ? "" : ": " + answer.comment()), null, null);
            nextStep(task);
        }
        return wrong;
    }

    // --- timers, cancel, a lost device ---

    private String timer(Draft task, TaskTimer timer) {
        if (timer.kind() == TimerKind.TASK_DEADLINE) {
            if (!timer.ref().equals(task.taskId)) {
                return "a deadline of another task";
            }
            fail(task, TaskFailureReason.DEADLINE, "its deadline " + task.deadline + " passed " + where(task), null);
            return null;
        }
        if (!timer.ref().equals(task.awaiting) || timer.kind() != expectedTimer(task)) {
            return "a " + timer.kind() + " timer for what the task no longer waits on";
        }
        switch (timer.kind()) {
            case WAIT -> {
                task.current = task.current.resumed(task.now);
                StepAction.Wait wait = (StepAction.Wait) task.current.action();
                stepEnded(task, null, null, "waited " + wait.duration().toMillis() + " ms", null, null);
                nextStep(task);
            }
            case STEP_TIMEOUT -> {
                if (task.state == TaskState.PLACING) {
                    fail(task, TaskFailureReason.STEP_TIMEOUT, "its placement got no answer within " + limits.placementTimeout().toSeconds() + " s",
                            null);
                } else if (task.phase == TaskPhase.THINKING) {
                    modelFailed(task, FailureReason.TIMEOUT, "no reply within " + limits.modelTimeout().toSeconds() + " s");
                } else {
                    deviceLost(task, "no outcome of " + timer.ref() + " within " + limits.deviceStepTimeout().toSeconds() + " s");
                }
            }
            case CONFIRMATION_TIMEOUT -> fail(task, TaskFailureReason.CONFIRMATION_TIMEOUT, "nobody confirmed or refused the sensitive action "
                    + describe(task.current.action()) + " within " + limits.confirmationTimeout().toSeconds() + " s", null);
            case TAKEOVER_TIMEOUT -> fail(task, TaskFailureReason.TAKEOVER_TIMEOUT, "nobody said the take-over was done within "
                    + limits.takeoverTimeout().toSeconds() + " s", null);
            default -> throw new IllegalStateException("unhandled timer " + timer.kind());
        }
        return null;
    }

    /** The kind of timer that guards what the task waits on now. */
    private static TimerKind expectedTimer(Draft task) {
        return switch (task.state) {
            case AWAITING_CONFIRMATION -> TimerKind.CONFIRMATION_TIMEOUT;
            case AWAITING_TAKEOVER -> TimerKind.TAKEOVER_TIMEOUT;
            default -> task.phase == TaskPhase.WAITING ? TimerKind.WAIT : TimerKind.STEP_TIMEOUT;
        };
    }

    private String cancel(Draft task, String reason, String by) {
        if (task.cancelReason != null) {
            return "a cancel is under way already";
        }
        task.cancelReason = (reason == null || reason.isBlank() ? "cancel requested" : reason) + (by == null ? "" : " (by " + by + ")");
        boolean onDevice = task.state == TaskState.RUNNING && (task.phase == TaskPhase.OBSERVING || task.phase == TaskPhase.ACTING);
        if (onDevice) {
            task.verdict = Verdict.DEFERRED;
            task.note = "cancel waits for " + task.awaiting;
        } else {
            if (task.current != null && task.current.pausedAt() != null) {
                task.current = task.current.resumed(task.now);
            }
            end(task, TaskState.CANCELED);
        }
        return null;
    }

    private void deviceLost(Draft task, String why) {
        String lost = task.deviceId;
        if (task.cancelReason != null) {
            end(task, TaskState.CANCELED);
        } else if (task.request.deviceId() != null) {
            fail(task, TaskFailureReason.DEVICE_LOST_NO_OTHER, "device " + lost + " was lost: " + why + "; the task runs on that device only", null);
        } else if (task.handOvers >= limits.maxHandOvers()) {
            fail(task, TaskFailureReason.HAND_OVER_LIMIT, "device " + lost + " was lost: " + why + ", after " + task.handOvers
                    + " hand-overs (the most allowed)", null);
        } else {
            task.effects.add(new TaskEffect.ReleaseDevice(lost, task.taskId, "lost: " + why));
            task.lostDevices.add(lost);
            task.handOvers++;
            task.handOverReason = lost + " was lost: " + why;
            task.deviceId = null;
            place(task);
            task.note = "handing over from " + lost;
        }
    }

    // --- ends ---

    private void fail(Draft task, TaskFailureReason reason, String detail, String raw) {
        task.failure = reason;
        task.outcome = clip(detail, MAX_DETAIL);
        task.raw = raw;
        end(task, TaskState.FAILED);
    }

    /** The task ends in {@code state}: the device is released, the end announced. */
    private void end(Draft task, TaskState state) {
        task.state = state;
        task.phase = null;
        task.awaiting = null;
        task.until = null;
        task.current = null;
        if (task.deviceId != null) {
            task.effects.add(new TaskEffect.ReleaseDevice(task.deviceId, task.taskId, "task " + state));
        }
        switch (state) {
            case COMPLETED -> task.announce(EventType.TASK_COMPLETED, new TaskCompleted(task.taskId, task.deviceId, task.outcome, task.steps, task.now));
            case FAILED -> task.announce(EventType.TASK_FAILED, new TaskFailed(task.taskId, task.deviceId, task.failure, task.outcome, task.raw,
                    task.steps, task.now));
            case CANCELED -> {
                task.outcome = task.cancelReason;
                task.announce(EventType.TASK_CANCELED, new TaskCanceled(task.taskId, task.deviceId, task.cancelReason, task.steps, task.now));
            }
            default -> throw new IllegalArgumentException(state + " is not an end");
        }
        task.note = state + (task.outcome == null ? "" : ": " + task.outcome);
    }

    /** The step under way ends: into the timeline, and announced. */
    private void stepEnded(Draft task, String commandId, CommandState outcome, String detail, String unparseable, String raw) {
        StepInProgress step = task.current;
        long wall = Math.max(0, task.now.toEpochMilli() - step.startedAt().toEpochMilli());
        StepSummary summary = new StepSummary(step.number(), step.stepId(), task.deviceId, step.screenshot(), step.currentApp(),
                clip(step.thinking(), MAX_THINKING), step.action(), unparseable, raw, commandId, outcome, clip(detail, MAX_DETAIL),
                StepTimings.of(wall, step.modelMs(), step.deviceMs(), step.waitedMs()), step.startedAt(), task.now);
        task.timeline.add(summary);
        task.steps++;
        task.current = null;
        task.announce(EventType.TASK_STEP_COMPLETED, new TaskStepCompleted(task.taskId, summary));
    }

    private Decision ignored(TaskRecord current, Instant now, String why) {
        Draft task = new Draft(current, now);
        task.ignored++;
        task.verdict = Verdict.IGNORED;
        task.note = why;
        return task.decision();
    }

    private static String where(Draft task) {
        return task.current == null ? "while " + task.state : "in step " + task.current.number() + " (" + task.state
                + (task.phase == null ? "" : " " + task.phase) + ")";
    }

    private static String who(TaskAnswer answer) {
        return answer.by() == null ? "someone" : answer.by();
    }

    private static String describe(StepAction action) {
        return action == null ? "(none)" : ActionGrammar.format(action);
    }

    private static long executionMs(CommandTimings timings) {
        Duration execution = timings == null ? null : timings.execution();
        return execution == null || execution.isNegative() ? 0 : execution.toMillis();
    }

    static String clip(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    /** A record being changed, and what the change does. */
    private static final class Draft {
        final String taskId;
        final String tenant;
        final TaskRequested request;
        final Instant now;
        final Instant createdAt;
        final Instant deadline;
        TaskState state;
        TaskPhase phase;
        String deviceId;
        long sequence;
        String stepId;
        String awaiting;
        Instant until;
        int steps;
        final List<AgentTurn> history;
        final List<StepSummary> timeline;
        StepInProgress current;
        int unparseableInARow;
        int modelFailuresInARow;
        int handOvers;
        final List<String> lostDevices;
        String handOverReason;
        String cancelReason;
        TaskFailureReason failure;
        String outcome;
        String raw;
        int ignored;
        final List<TaskEffect> effects = new ArrayList<>();
        Verdict verdict = Verdict.APPLIED;
        String note = "";

        Draft(String tenant, TaskRequested request, Instant now, Instant deadline) {
            this.taskId = request.taskId();
            this.tenant = tenant;
            this.request = request;
            this.now = now;
            this.createdAt = now;
            this.deadline = deadline;
            this.state = TaskState.PLACING;
            this.history = new ArrayList<>();
            this.timeline = new ArrayList<>();
            this.lostDevices = new ArrayList<>();
        }

        Draft(TaskRecord record, Instant now) {
            this.taskId = record.taskId();
            this.tenant = record.tenant();
            this.request = record.request();
            this.now = now;
            this.createdAt = record.createdAt();
            this.deadline = record.deadline();
            state = record.state();
            phase = record.phase();
            deviceId = record.deviceId();
            sequence = record.sequence();
            stepId = record.stepId();
            awaiting = record.awaiting();
            until = record.until();
            steps = record.steps();
            history = new ArrayList<>(record.history());
            timeline = new ArrayList<>(record.timeline());
            current = record.current();
            unparseableInARow = record.unparseableInARow();
            modelFailuresInARow = record.modelFailuresInARow();
            handOvers = record.handOvers();
            lostDevices = new ArrayList<>(record.lostDevices());
            handOverReason = record.handOverReason();
            cancelReason = record.cancelReason();
            failure = record.failure();
            outcome = record.outcome();
            raw = record.raw();
            ignored = record.ignored();
        }

        void timer(TimerKind kind, String ref, String step, Instant due) {
            effects.add(new TaskEffect.ScheduleTimer(new TaskTimer(taskId, kind, ref, step, due)));
        }

        void announce(EventType type, Object payload) {
            effects.add(new TaskEffect.Announce(type, payload));
        }

        Decision decision() {
            TaskRecord record = new TaskRecord(taskId, tenant, request, state, phase, deviceId, sequence, stepId, awaiting, until, steps, history,
                    timeline, current, unparseableInARow, modelFailuresInARow, handOvers, lostDevices, handOverReason, cancelReason, deadline,
                    failure, outcome, raw, ignored, createdAt, now);
            return new Decision(record, effects, verdict, note);
        }
    }
}
