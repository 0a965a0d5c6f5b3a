package io.autoglm.fleet.agent;

import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.agent.ActionGrammar;
import io.autoglm.fleet.events.agent.RelativePoint;
import io.autoglm.fleet.events.agent.ScreenshotRef;
import io.autoglm.fleet.events.agent.StepAction;
import io.autoglm.fleet.events.command.CommandAction;
import io.autoglm.fleet.events.command.CommandCompleted;
import io.autoglm.fleet.events.command.CommandDispatched;
import io.autoglm.fleet.events.command.CommandFailureReason;
import io.autoglm.fleet.events.command.CommandRecord;
import io.autoglm.fleet.events.command.CommandState;
import io.autoglm.fleet.events.command.CommandTimings;
import io.autoglm.fleet.events.command.Observation;
import io.autoglm.fleet.events.command.Requirements;
import io.autoglm.fleet.events.command.RoutingStrategy;
import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.events.inference.AgentStep;
import io.autoglm.fleet.events.inference.AgentStepResult;
import io.autoglm.fleet.events.inference.FailureReason;
import io.autoglm.fleet.events.inference.InferenceRequested;
import io.autoglm.fleet.events.task.StepSummary;
import io.autoglm.fleet.events.task.StepTimings;
import io.autoglm.fleet.events.task.TaskAnswer;
import io.autoglm.fleet.events.task.TaskAssigned;
import io.autoglm.fleet.events.task.TaskCancelRequested;
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
import io.autoglm.fleet.events.validation.EventValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static io.autoglm.fleet.events.task.TaskState.AWAITING_CONFIRMATION;
import static io.autoglm.fleet.events.task.TaskState.AWAITING_TAKEOVER;
import static io.autoglm.fleet.events.task.TaskState.CANCELED;
import static io.autoglm.fleet.events.task.TaskState.COMPLETED;
import static io.autoglm.fleet.events.task.TaskState.FAILED;
import static io.autoglm.fleet.events.task.TaskState.PLACING;
import static io.autoglm.fleet.events.task.TaskState.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskSessionTest {

    static final String TENANT = "acme";
    static final String TASK = "t-1";
    static final String DEVICE = "d-1";
    static final String OTHER = "d-2";
    static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    static final SessionLimits LIMITS = SessionLimits.defaults();
    static final EventValidator VALIDATOR = EventValidator.standard();

    private final TaskSession session = new TaskSession(LIMITS);

    static TaskRequested request(boolean attended, Integer maxSteps, String pinned) {
        return new TaskRequested(TASK, "open Settings and turn on Wi-Fi", pinned, new Requirements(null, null, null, false, null, null),
                RoutingStrategy.LOAD_BALANCE, null, maxSteps, null, attended, "en");
    }

    static ScreenshotRef screenshot(int n) {
        return new ScreenshotRef(URI.create("http://127.0.0.1:9000/blobs/acme/screens/" + n + ".png"), "%064x".formatted(n), 1080, 2400);
    }

    static TaskInput answered(TaskInput.Answered.Kind kind, TaskAnswer answer) {
        return new TaskInput.Answered(kind, answer);
    }

    static CommandTimings ran(Instant start, long ms) {
        return new CommandTimings(start, start, start.plusMillis(ms));
    }

    static AgentStepResult reply(String thinking, StepAction action, double totalMs) {
        return new AgentStepResult(ActionGrammar.formatTurn(thinking, action), thinking, ActionGrammar.format(action), action, null, 50, totalMs,
                900, 20);
    }

    static AgentStepResult unparseable(String raw) {
        return new AgentStepResult(raw, "", "", null, "the reply has no <answer> and no do(action=...) or finish(message=...) in it", 50, 400,
                900, 20);
    }

    /** A task taken through inputs one by one, the clock {@code stepMs} further at each, every effect checked against the contract. */
    final class Run {
        TaskRecord record;
        Instant now = T0;
        Decision last;
        final List<TaskTimer> timers = new ArrayList<>();
        final List<TaskEffect> effects = new ArrayList<>();
        long stepMs = 1000;

        Run(TaskRequested request) {
            apply(new TaskInput.Requested(TENANT, request));
        }

        Decision apply(TaskInput input) {
            now = now.plusMillis(stepMs);
            last = session.decide(record, input, now);
            if (last.record() != null) {
                record = last.record();
                assertThat(EventJson.read(EventJson.write(record), TaskRecord.class)).as("the table's row reads back").isEqualTo(record);
            }
            for (TaskEffect effect : last.effects()) {
                checkContract(effect);
                if (effect instanceof TaskEffect.ScheduleTimer scheduled) {
                    timers.add(scheduled.timer());
                }
            }
            effects.addAll(last.effects());
            return last;
        }

        /** What the task waits on; for a task waiting on nothing (ended), the id of its first observation. */
        String awaiting() {
            return record.awaiting() != null ? record.awaiting() : TaskRefs.of(TaskRefs.step(TASK, 2), TaskRefs.Part.OBSERVE);
        }

        String device() {
            return record.deviceId() != null ? record.deviceId() : DEVICE;
        }

        // --- what the world answers, each for what the task waits on now ---

        TaskInput placed(String device) {
            return new TaskInput.Placed(TASK, awaiting(), device, "LOAD_BALANCE score 0.8");
        }

        TaskInput observed(int shot) {
            return new TaskInput.CommandOutcome(awaiting(), device(), CommandState.SUCCEEDED, "observed",
                    Observation.stored(screenshot(shot), "com.android.settings"), null, "observed", ran(now, 300));
        }

        TaskInput done() {
            return new TaskInput.CommandOutcome(awaiting(), device(), CommandState.SUCCEEDED, "done", null, null, "done", ran(now, 200));
        }

        TaskInput ended(CommandState state, CommandFailureReason reason) {
            return new TaskInput.CommandOutcome(awaiting(), device(), state, null, null, reason, state + " " + reason, null);
        }

        TaskInput replied(StepAction action) {
            return new TaskInput.ModelReplied(awaiting(), reply("thinking about " + action.name(), action, 800));
        }

        TaskInput garbled(String raw) {
            return new TaskInput.ModelReplied(awaiting(), unparseable(raw));
        }

        TaskInput modelFailed(FailureReason reason) {
            return new TaskInput.ModelFailed(awaiting(), reason, "the backend said no");
        }

        /** The timer the session scheduled for what the task waits on, back. */
        TaskInput timerBack() {
            TaskTimer timer = timers.stream().filter(t -> t.ref().equals(awaiting())).reduce((a, b) -> b)
                    .orElse(timers.get(timers.size() - 1));
            return new TaskInput.TimerFired(timer);
        }

        TaskInput deadline() {
            return new TaskInput.TimerFired(timers.stream().filter(t -> t.kind() == TimerKind.TASK_DEADLINE).findFirst().orElseThrow());
        }

        TaskAnswer answer(String by) {
            return new TaskAnswer(TASK, record.stepId() == null ? TaskRefs.step(TASK, 1) : record.stepId(), by, null);
        }

        TaskInput cancel() {
            return new TaskInput.CancelRequested(new TaskCancelRequested(TASK, "wrong phone", "ops"));
        }

        TaskInput lost(String device) {
            return new TaskInput.DeviceLost(TASK, device, "went OFFLINE");
        }

        <T> List<T> announced(EventType type, Class<T> payload) {
            return last.effects(TaskEffect.Announce.class).stream().filter(a -> a.type() == type).map(a -> payload.cast(a.payload())).toList();
        }

        List<CommandDispatched> sent() {
            return last.effects(TaskEffect.SendCommand.class).stream().map(TaskEffect.SendCommand::command).toList();
        }

        List<TaskEffect.ReleaseDevice> released() {
            return last.effects(TaskEffect.ReleaseDevice.class);
        }

        TaskFailed failed() {
            assertThat(record.state()).isEqualTo(FAILED);
            return announced(EventType.TASK_FAILED, TaskFailed.class).get(0);
        }
    }

    static void checkContract(TaskEffect effect) {
        if (effect instanceof TaskEffect.Announce announce) {
            valid(announce.type(), announce.payload());
        } else if (effect instanceof TaskEffect.SendCommand send) {
            valid(EventType.COMMAND_DISPATCHED, send.command());
        } else if (effect instanceof TaskEffect.RequestInference inference) {
            valid(EventType.INFERENCE_REQUESTED, inference.request());
        } else if (effect instanceof TaskEffect.ScheduleTimer timer) {
            valid(EventType.TASK_TIMER, timer.timer());
        }
    }

    static void valid(EventType type, Object payload) {
        byte[] json = EventJson.write(payload);
        assertThat(VALIDATOR.validateData(type, EventJson.tree(json))).as(type.type() + " " + new String(json)).isEmpty();
        assertThat(EventJson.read(json, type.payloadType())).isEqualTo(payload);
    }

    // --- the situations a task can be in ---

    enum Situation {
        PLACING, OBSERVING, THINKING, ACTING, WAITING, AWAITING_CONFIRMATION, AWAITING_TAKEOVER, CANCEL_PENDING, HANDING_OVER, COMPLETED, FAILED,
        CANCELED
    }

    Run in(Situation situation) {
        Run run = new Run(request(true, null, null));
        switch (situation) {
            case PLACING -> { }
            case OBSERVING -> run.apply(run.placed(DEVICE));
            case THINKING -> thinking(run);
            case ACTING -> {
                thinking(run);
                run.apply(run.replied(new StepAction.Back()));
            }
            case WAITING -> {
                thinking(run);
                run.apply(run.replied(new StepAction.Wait(Duration.ofSeconds(3))));
            }
            case AWAITING_CONFIRMATION -> {
                thinking(run);
                run.apply(run.replied(new StepAction.Tap(new RelativePoint(820, 910), "pay ¥25")));
            }
            case AWAITING_TAKEOVER -> {
                thinking(run);
                run.apply(run.replied(new StepAction.TakeOver("log in, please")));
            }
            case CANCEL_PENDING -> {
                run.apply(run.placed(DEVICE));
                run.apply(run.cancel());
            }
            case HANDING_OVER -> {
                run.apply(run.placed(DEVICE));
                run.apply(run.lost(DEVICE));
            }
            case COMPLETED -> {
                thinking(run);
                run.apply(run.replied(new StepAction.Finish("Wi-Fi is on")));
            }
            case FAILED -> run.apply(new TaskInput.NotPlaced(TASK, run.awaiting(), "no ONLINE Android device"));
            case CANCELED -> run.apply(run.cancel());
        }
        return run;
    }

    void thinking(Run run) {
        run.apply(run.placed(DEVICE));
        run.apply(run.observed(1));
    }

    enum Input {
        REQUESTED_AGAIN(run -> new TaskInput.Requested(TENANT, request(true, null, null))),
        PLACED(run -> run.placed(OTHER)),
        NOT_PLACED(run -> new TaskInput.NotPlaced(TASK, String.valueOf(run.awaiting()), "none qualifies")),
        OBSERVED(run -> run.observed(2)),
        COMMAND_DONE(Run::done),
        COMMAND_EXPIRED(run -> run.ended(CommandState.EXPIRED, null)),
        REPLY(run -> run.replied(new StepAction.Home())),
        REPLY_UNPARSEABLE(run -> run.garbled("I would tap the button")),
        MODEL_FAILED(run -> run.modelFailed(FailureReason.BACKEND_UNAVAILABLE)),
        TIMER(Run::timerBack),
        DEADLINE(Run::deadline),
        CONFIRMED(run -> answered(TaskInput.Answered.Kind.CONFIRMED, run.answer("zhang.wei"))),
        REFUSED(run -> answered(TaskInput.Answered.Kind.REFUSED, run.answer("zhang.wei"))),
        TAKEN_OVER(run -> answered(TaskInput.Answered.Kind.TAKEN_OVER, run.answer("zhang.wei"))),
        CANCEL(Run::cancel),
        DEVICE_LOST(run -> run.lost(DEVICE));

        final Function<Run, TaskInput> make;

        Input(Function<Run, TaskInput> make) {
            this.make = make;
        }
    }

    /** (situation, input, state after, verdict): everything the table does not name is ignored. */
    static Stream<Arguments> transitions() {
        Map<Situation, Map<Input, Object[]>> moves = new EnumMap<>(Situation.class);
        moves.put(Situation.PLACING, Map.of(Input.PLACED, to(RUNNING), Input.NOT_PLACED, to(FAILED), Input.TIMER, to(FAILED),
                Input.DEADLINE, to(FAILED), Input.CANCEL, to(CANCELED)));
        moves.put(Situation.OBSERVING, Map.of(Input.OBSERVED, to(RUNNING), Input.COMMAND_DONE, to(AWAITING_TAKEOVER),
                Input.COMMAND_EXPIRED, to(PLACING), Input.TIMER, to(PLACING), Input.DEADLINE, to(FAILED),
                Input.CANCEL, new Object[] {RUNNING, Verdict.DEFERRED}, Input.DEVICE_LOST, to(PLACING)));
        moves.put(Situation.THINKING, Map.of(Input.REPLY, to(RUNNING), Input.REPLY_UNPARSEABLE, to(RUNNING), Input.MODEL_FAILED, to(RUNNING),
                Input.TIMER, to(RUNNING), Input.DEADLINE, to(FAILED), Input.CANCEL, to(CANCELED), Input.DEVICE_LOST, to(PLACING)));
        moves.put(Situation.ACTING, Map.of(Input.OBSERVED, to(RUNNING), Input.COMMAND_DONE, to(RUNNING), Input.COMMAND_EXPIRED, to(PLACING),
                Input.TIMER, to(PLACING), Input.DEADLINE, to(FAILED), Input.CANCEL, new Object[] {RUNNING, Verdict.DEFERRED},
                Input.DEVICE_LOST, to(PLACING)));
        moves.put(Situation.WAITING, Map.of(Input.TIMER, to(RUNNING), Input.DEADLINE, to(FAILED), Input.CANCEL, to(CANCELED),
                Input.DEVICE_LOST, to(PLACING)));
        moves.put(Situation.AWAITING_CONFIRMATION, Map.of(Input.CONFIRMED, to(RUNNING), Input.REFUSED, to(FAILED), Input.TIMER, to(FAILED),
                Input.DEADLINE, to(FAILED), Input.CANCEL, to(CANCELED), Input.DEVICE_LOST, to(PLACING)));
        moves.put(Situation.AWAITING_TAKEOVER, Map.of(Input.TAKEN_OVER, to(RUNNING), Input.TIMER, to(FAILED), Input.DEADLINE, to(FAILED),
                Input.CANCEL, to(CANCELED), Input.DEVICE_LOST, to(PLACING)));
        moves.put(Situation.CANCEL_PENDING, Map.of(Input.OBSERVED, to(CANCELED), Input.COMMAND_DONE, to(CANCELED),
                Input.COMMAND_EXPIRED, to(CANCELED), Input.TIMER, to(CANCELED), Input.DEADLINE, to(FAILED), Input.DEVICE_LOST, to(CANCELED)));
        moves.put(Situation.HANDING_OVER, Map.of(Input.PLACED, to(RUNNING), Input.NOT_PLACED, to(FAILED), Input.TIMER, to(FAILED),
                Input.DEADLINE, to(FAILED), Input.CANCEL, to(CANCELED)));
        List<Arguments> table = new ArrayList<>();
        for (Situation situation : Situation.values()) {
            for (Input input : Input.values()) {
                Object[] move = moves.getOrDefault(situation, Map.of()).get(input);
                table.add(move == null ? Arguments.of(situation, input, null, Verdict.IGNORED) : Arguments.of(situation, input, move[0], move[1]));
            }
        }
        return table.stream();
    }

    static Object[] to(TaskState state) {
        return new Object[] {state, Verdict.APPLIED};
    }

    @ParameterizedTest(name = "{0} + {1} -> {2} ({3})")
    @MethodSource("transitions")
    void everySituationAgainstEveryInputAndARedeliveredCopyOfItChangesNothing(Situation situation, Input kind, TaskState to, Verdict verdict) {
        Run run = in(situation);
        TaskRecord before = run.record;
        TaskInput input = kind.make.apply(run);

        Decision decision = run.apply(input);

        assertThat(decision.verdict()).as(decision.note()).isEqualTo(verdict);
        if (verdict == Verdict.IGNORED) {
            assertThat(decision.effects()).isEmpty();
            assertThat(run.record.state()).isEqualTo(before.state());
            assertThat(run.record.awaiting()).isEqualTo(before.awaiting());
            assertThat(run.record.ignored()).isEqualTo(before.ignored() + 1);
        } else {
            assertThat(run.record.state()).isEqualTo(to);
        }
        if (to != null && to.ended()) {
            assertThat(decision.effects(TaskEffect.Announce.class)).extracting(TaskEffect.Announce::type)
                    .contains(to == FAILED ? EventType.TASK_FAILED : to == CANCELED ? EventType.TASK_CANCELED : EventType.TASK_COMPLETED);
            if (before.deviceId() != null) {
                assertThat(decision.effects(TaskEffect.ReleaseDevice.class)).as("an end frees the device").extracting(TaskEffect.ReleaseDevice::deviceId)
                        .containsExactly(before.deviceId());
            }
        }

        // at-least-once: the same input again changes nothing and starts nothing, whatever it was
        TaskRecord after = run.record;
        Decision again = run.apply(input);
        assertThat(again.verdict()).as("a redelivered copy: " + again.note()).isEqualTo(Verdict.IGNORED);
        assertThat(again.effects()).isEmpty();
        assertThat(run.record.state()).isEqualTo(after.state());
        assertThat(run.record.awaiting()).isEqualTo(after.awaiting());
        assertThat(run.record.timeline()).isEqualTo(after.timeline());
    }

    @Test
    void theSameInputDecidedAgainFromTheSameRecordStartsTheSameCommandUnderTheSameId() {
        Run run = in(Situation.THINKING);
        TaskRecord record = run.record;
        TaskInput reply = run.replied(new StepAction.Launch("Settings"));

        Decision first = session.decide(record, reply, run.now);
        Decision crashedAndAgain = session.decide(record, reply, run.now.plusSeconds(5));

        assertThat(first).isEqualTo(session.decide(record, reply, run.now));
        assertThat(first.effects(TaskEffect.SendCommand.class)).extracting(send -> send.command().commandId())
                .containsExactly(TaskRefs.of(record.stepId(), TaskRefs.Part.ACT))
                .isEqualTo(crashedAndAgain.effects(TaskEffect.SendCommand.class).stream().map(send -> send.command().commandId()).toList());
    }

    // --- the way through ---

    @Test
    void aWholeTaskObservesThinksAndActsStepByStepUntilFinish() {
        Run run = new Run(request(true, null, null));
        assertThat(run.record.state()).isEqualTo(PLACING);
        TaskEffect.Place place = run.last.effects(TaskEffect.Place.class).get(0);
        assertThat(place.placementId()).isEqualTo("task:t-1:1:place");
        assertThat(place.exclude()).isEmpty();
        assertThat(place.deviceId()).isNull();
        assertThat(run.last.effects(TaskEffect.ScheduleTimer.class)).extracting(t -> t.timer().kind())
                .containsExactly(TimerKind.TASK_DEADLINE, TimerKind.STEP_TIMEOUT);
        assertThat(run.record.deadline()).as("the default time limit").isEqualTo(T0.plusSeconds(1).plus(LIMITS.timeLimit()));

        run.apply(run.placed(DEVICE));
        assertThat(run.announced(EventType.TASK_ASSIGNED, TaskAssigned.class)).singleElement()
                .satisfies(assigned -> assertThat(assigned.deviceId()).isEqualTo(DEVICE));
        assertThat(run.sent()).singleElement().satisfies(observe -> {
            assertThat(observe.commandId()).isEqualTo("task:t-1:2:observe");
            assertThat(observe.action()).isEqualTo(CommandAction.OBSERVE);
            assertThat(observe.deviceId()).isEqualTo(DEVICE);
            assertThat(observe.tenant()).isEqualTo(TENANT);
            assertThat(observe.expiresAt()).isEqualTo(run.now.plus(LIMITS.commandTtl()));
        });
        assertThat(run.record.phase()).isEqualTo(TaskPhase.OBSERVING);

        run.apply(run.observed(1));
        InferenceRequested asked = run.last.effects(TaskEffect.RequestInference.class).get(0).request();
        assertThat(asked.requestId()).isEqualTo("task:t-1:2:think");
        assertThat(asked.model()).isEqualTo(LIMITS.defaultModel());
        AgentStep step = asked.agent();
        assertThat(step.sessionId()).isEqualTo(TASK);
        assertThat(step.instruction()).isEqualTo("open Settings and turn on Wi-Fi");
        assertThat(step.history()).isEmpty();
        assertThat(step.screenshot()).isEqualTo(screenshot(1));
        assertThat(step.currentApp()).isEqualTo("com.android.settings");
        assertThat(step.language()).isEqualTo("en");

        run.apply(run.replied(new StepAction.Launch("Settings")));
        assertThat(run.sent()).singleElement().satisfies(act -> {
            assertThat(act.commandId()).isEqualTo("task:t-1:2:act");
            assertThat(act.action()).isEqualTo(new CommandAction(AgentAction.LAUNCH, Map.of("app", "Settings")));
        });
        run.apply(run.done());
        StepSummary first = run.announced(EventType.TASK_STEP_COMPLETED, TaskStepCompleted.class).get(0).step();
        assertThat(first.number()).isEqualTo(1);
        assertThat(first.action()).isEqualTo(new StepAction.Launch("Settings"));
        assertThat(first.commandId()).isEqualTo("task:t-1:2:act");
        assertThat(first.outcome()).isEqualTo(CommandState.SUCCEEDED);
        assertThat(first.screenshot()).isEqualTo(screenshot(1));
        assertThat(run.sent()).extracting(CommandDispatched::commandId).containsExactly("task:t-1:3:observe");

        run.apply(run.observed(2));
        assertThat(run.last.effects(TaskEffect.RequestInference.class).get(0).request().agent().history()).as("the text of step 1")
                .singleElement().satisfies(turn -> assertThat(turn.reply()).contains("do(action=\"Launch\", app=\"Settings\")"));
        run.apply(run.replied(new StepAction.Tap(new RelativePoint(500, 120), null)));
        assertThat(run.sent().get(0).action()).isEqualTo(new CommandAction(AgentAction.TAP, Map.of("element", "[500,120]")));
        run.apply(run.done());
        run.apply(run.observed(3));
        run.apply(run.replied(new StepAction.Finish("Wi-Fi is on")));

        assertThat(run.record.state()).isEqualTo(COMPLETED);
        assertThat(run.record.outcome()).isEqualTo("Wi-Fi is on");
        assertThat(run.announced(EventType.TASK_COMPLETED, TaskCompleted.class)).singleElement()
                .satisfies(completed -> assertThat(completed.steps()).isEqualTo(3));
        assertThat(run.released()).extracting(TaskEffect.ReleaseDevice::deviceId).containsExactly(DEVICE);
        assertThat(run.record.timeline()).extracting(StepSummary::number).containsExactly(1, 2, 3);
        assertThat(run.record.history()).hasSize(3);
        assertThat(run.record.steps()).isEqualTo(3);
        assertThat(run.record.awaiting()).isNull();
    }

    @Test
    void eachStepsWallTimeSplitsIntoModelDeviceAndOurOverhead() {
        Run run = new Run(request(true, null, null));
        run.apply(run.placed(DEVICE)); // the step begins: its observation is sent
        Instant began = run.now;
        run.stepMs = 400;
        run.apply(run.observed(1)); // 300 ms of it on the device
        run.stepMs = 900;
        run.apply(run.replied(new StepAction.Back())); // 800 ms of it the model's
        run.stepMs = 250;
        run.apply(run.done()); // 200 ms of it on the device

        StepTimings timings = run.announced(EventType.TASK_STEP_COMPLETED, TaskStepCompleted.class).get(0).step().timings();
        assertThat(timings.wallMs()).isEqualTo(run.now.toEpochMilli() - began.toEpochMilli()).isEqualTo(1550);
        assertThat(timings.modelMs()).isEqualTo(800);
        assertThat(timings.deviceMs()).isEqualTo(500);
        assertThat(timings.waitedMs()).isZero();
        assertThat(timings.overheadMs()).isEqualTo(250);
    }

    @Test
    void aWaitHoldsNoThreadTheTimerBringsTheNextStepAndTheWaitIsNotOverhead() {
        Run run = in(Situation.THINKING);
        run.apply(run.replied(new StepAction.Wait(Duration.ofSeconds(3))));
        assertThat(run.sent()).as("nothing on the device").isEmpty();
        TaskTimer wait = run.last.effects(TaskEffect.ScheduleTimer.class).get(0).timer();
        assertThat(wait.kind()).isEqualTo(TimerKind.WAIT);
        assertThat(wait.due()).isEqualTo(run.now.plusSeconds(3)).isEqualTo(run.record.until());
        assertThat(run.record.phase()).isEqualTo(TaskPhase.WAITING);

        run.stepMs = 3_050;
        run.apply(run.timerBack());

        StepSummary waited = run.announced(EventType.TASK_STEP_COMPLETED, TaskStepCompleted.class).get(0).step();
        assertThat(waited.timings().waitedMs()).isEqualTo(3_050);
        assertThat(waited.commandId()).isNull();
        assertThat(waited.detail()).isEqualTo("waited 3000 ms");
        assertThat(run.sent()).extracting(CommandDispatched::commandId).containsExactly(TaskRefs.of(run.record.stepId(), TaskRefs.Part.OBSERVE));
    }

    @Test
    void stepsThatTouchNoDeviceEndAtOnceAndTheNextBegins() {
        for (StepAction action : List.of(new StepAction.Note("price ¥25"), new StepAction.CallApi("sum the prices up"), new StepAction.Interact())) {
            Run run = in(Situation.THINKING);
            run.apply(run.replied(action));
            StepSummary step = run.announced(EventType.TASK_STEP_COMPLETED, TaskStepCompleted.class).get(0).step();
            assertThat(step.action()).isEqualTo(action);
            assertThat(step.commandId()).isNull();
            assertThat(run.sent()).extracting(send -> send.action().type()).containsExactly(AgentAction.OBSERVE);
            assertThat(run.record.steps()).isEqualTo(1);
        }
    }

    @Test
    void aFailedActionIsAStepLikeAnyOtherAndTheModelGoesOn() {
        Run run = in(Situation.ACTING);
        run.apply(run.ended(CommandState.FAILED, CommandFailureReason.APP_NOT_INSTALLED));
        StepSummary step = run.announced(EventType.TASK_STEP_COMPLETED, TaskStepCompleted.class).get(0).step();
        assertThat(step.outcome()).isEqualTo(CommandState.FAILED);
        assertThat(run.record.state()).isEqualTo(RUNNING);
        assertThat(run.record.phase()).isEqualTo(TaskPhase.OBSERVING);
        assertThat(run.record.deviceId()).isEqualTo(DEVICE);

        Run declined = in(Situation.ACTING);
        declined.apply(declined.ended(CommandState.REJECTED, null));
        assertThat(declined.record.phase()).isEqualTo(TaskPhase.OBSERVING);
    }

    // --- the model ---

    @Test
    void oneUnparseableReplyIsAFailedStepAndTheModelIsAskedAgain() {
        Run run = in(Situation.THINKING);
        run.apply(run.garbled("I think I should tap the button"));

        StepSummary failed = run.announced(EventType.TASK_STEP_COMPLETED, TaskStepCompleted.class).get(0).step();
        assertThat(failed.action()).isNull();
        assertThat(failed.raw()).isEqualTo("I think I should tap the button");
        assertThat(failed.unparseable()).contains("no <answer>");
        assertThat(run.record.unparseableInARow()).isEqualTo(1);
        assertThat(run.record.history()).as("a bad reply is not the model's history").isEmpty();

        run.apply(run.observed(2));
        run.apply(run.replied(new StepAction.Back()));
        assertThat(run.record.unparseableInARow()).as("a good reply starts the count again").isZero();
        run.apply(run.done());
        run.apply(run.observed(3));
        run.apply(run.garbled("again nothing"));
        assertThat(run.record.state()).isEqualTo(RUNNING);
    }

    @Test
    void twoUnparseableRepliesInARowFailTheTaskWithTheRawText() {
        Run run = in(Situation.THINKING);
        run.apply(run.garbled("first"));
        run.apply(run.observed(2));
        String huge = "x".repeat(40_000);
        run.apply(run.garbled(huge));

        TaskFailed failed = run.failed();
        assertThat(failed.reason()).isEqualTo(TaskFailureReason.MODEL_UNPARSEABLE);
        assertThat(failed.detail()).contains("2 times in a row");
        assertThat(failed.raw()).hasSize(TaskSession.MAX_RAW).isEqualTo(huge.substring(0, TaskSession.MAX_RAW));
        assertThat(run.record.timeline()).hasSize(2).allSatisfy(step -> assertThat(step.unparseable()).isNotNull());
        assertThat(run.released()).extracting(TaskEffect.ReleaseDevice::deviceId).containsExactly(DEVICE);
    }

    @Test
    void aFailedInferenceIsTakenAgainOnceThenFailsTheTaskAndARefusalFailsItAtOnce() {
        Run run = in(Situation.THINKING);
        run.apply(run.modelFailed(FailureReason.CAPACITY));
        assertThat(run.record.state()).isEqualTo(RUNNING);
        assertThat(run.record.modelFailuresInARow()).isEqualTo(1);
        run.apply(run.observed(2));
        run.apply(run.modelFailed(FailureReason.BACKEND_UNAVAILABLE));
        assertThat(run.failed().reason()).isEqualTo(TaskFailureReason.MODEL_FAILED);

        Run recovered = in(Situation.THINKING);
        recovered.apply(recovered.modelFailed(FailureReason.CAPACITY));
        recovered.apply(recovered.observed(2));
        recovered.apply(recovered.replied(new StepAction.Back()));
        assertThat(recovered.record.modelFailuresInARow()).isZero();

        Run refused = in(Situation.THINKING);
        refused.apply(refused.modelFailed(FailureReason.CREDENTIAL_REFUSED));
        assertThat(refused.failed().reason()).isEqualTo(TaskFailureReason.MODEL_REFUSED);

        Run silent = in(Situation.THINKING);
        silent.apply(silent.timerBack());
        assertThat(silent.record.modelFailuresInARow()).as("no reply in time counts as a failed inference").isEqualTo(1);
        assertThat(silent.record.timeline().get(0).detail()).contains("no reply within 120 s");
    }

    @Test
    void theModelIsShownOnlyTheNewestHundredTurns() {
        Run run = new Run(request(false, 105, null));
        run.apply(run.placed(DEVICE));
        for (int i = 0; i < 102; i++) {
            run.apply(run.observed(i + 1));
            run.apply(run.replied(new StepAction.Note("step " + i)));
        }
        assertThat(run.record.history()).hasSize(TaskRecord.HISTORY_LIMIT);
        assertThat(run.record.history().get(0).reply()).contains("step 2");
        assertThat(run.record.timeline()).hasSize(102);
    }

    // --- a person ---

    @Test
    void aSensitiveTapWaitsForAPersonAndRunsOnceConfirmed() {
        Run run = in(Situation.AWAITING_CONFIRMATION);
        TaskPaused question = run.announced(EventType.TASK_CONFIRMATION_REQUESTED, TaskPaused.class).get(0);
        assertThat(question.message()).isEqualTo("pay ¥25");
        assertThat(question.stepId()).isEqualTo(run.record.stepId());
        assertThat(question.screenshot()).isEqualTo(screenshot(1));
        assertThat(question.due()).isEqualTo(run.now.plus(LIMITS.confirmationTimeout()));
        assertThat(run.last.effects(TaskEffect.ScheduleTimer.class)).extracting(t -> t.timer().kind()).containsExactly(TimerKind.CONFIRMATION_TIMEOUT);
        assertThat(run.sent()).as("nothing runs before the answer").isEmpty();

        run.stepMs = 20_000;
        run.apply(answered(TaskInput.Answered.Kind.CONFIRMED, run.answer("zhang.wei")));
        assertThat(run.sent()).singleElement().satisfies(tap -> {
            assertThat(tap.action()).isEqualTo(new CommandAction(AgentAction.TAP, Map.of("element", "[820,910]")));
            assertThat(tap.reason()).contains("confirmed by zhang.wei");
        });
        run.stepMs = 1000;
        run.apply(run.done());
        assertThat(run.announced(EventType.TASK_STEP_COMPLETED, TaskStepCompleted.class).get(0).step().timings().waitedMs())
                .as("the person's time is not overhead").isEqualTo(20_000);
    }

    @Test
    void aRefusedOrUnansweredConfirmationFailsTheTaskSayingSo() {
        Run refused = in(Situation.AWAITING_CONFIRMATION);
        refused.apply(answered(TaskInput.Answered.Kind.REFUSED, new TaskAnswer(TASK, refused.record.stepId(), "zhang.wei", "not this shop")));
        TaskFailed failed = refused.failed();
        assertThat(failed.reason()).isEqualTo(TaskFailureReason.CONFIRMATION_REFUSED);
        assertThat(failed.detail()).contains("refused by zhang.wei: not this shop").contains("pay ¥25");
        assertThat(refused.sent()).isEmpty();

        Run unanswered = in(Situation.AWAITING_CONFIRMATION);
        unanswered.apply(unanswered.timerBack());
        assertThat(unanswered.failed().reason()).isEqualTo(TaskFailureReason.CONFIRMATION_TIMEOUT);
        assertThat(unanswered.failed().detail()).contains("within 300 s");
    }

    @Test
    void anAnswerToAnOlderStepIsNotTakenForTheCurrentOne() {
        Run run = in(Situation.AWAITING_CONFIRMATION);
        Decision old = run.apply(answered(TaskInput.Answered.Kind.CONFIRMED, new TaskAnswer(TASK, TaskRefs.step(TASK, 1), "zhang.wei", null)));
        assertThat(old.verdict()).isEqualTo(Verdict.IGNORED);
        assertThat(run.record.state()).isEqualTo(AWAITING_CONFIRMATION);
    }

    @Test
    void unattendedASensitiveTapRunsAndATakeOverFails() {
        Run tap = new Run(request(false, null, null));
        thinking(tap);
        tap.apply(tap.replied(new StepAction.Tap(new RelativePoint(820, 910), "pay ¥25")));
        assertThat(tap.record.phase()).isEqualTo(TaskPhase.ACTING);
        assertThat(tap.sent()).extracting(send -> send.action().type()).containsExactly(AgentAction.TAP);

        Run takeOver = new Run(request(false, null, null));
        thinking(takeOver);
        takeOver.apply(takeOver.replied(new StepAction.TakeOver("log in, please")));
        assertThat(takeOver.failed().reason()).isEqualTo(TaskFailureReason.TAKEOVER_UNATTENDED);
        assertThat(takeOver.failed().detail()).contains("log in, please");
    }

    @Test
    void aTakeOverWaitsForThePersonAndTheTaskGoesOnWithANewObservation() {
        Run run = in(Situation.AWAITING_TAKEOVER);
        assertThat(run.announced(EventType.TASK_TAKEOVER_REQUESTED, TaskPaused.class)).singleElement()
                .satisfies(question -> assertThat(question.due()).isEqualTo(run.now.plus(LIMITS.takeoverTimeout())));
        run.apply(answered(TaskInput.Answered.Kind.TAKEN_OVER, run.answer("zhang.wei")));
        assertThat(run.announced(EventType.TASK_STEP_COMPLETED, TaskStepCompleted.class).get(0).step().detail()).isEqualTo("taken over by zhang.wei");
        assertThat(run.sent()).extracting(send -> send.action().type()).containsExactly(AgentAction.OBSERVE);

        Run late = in(Situation.AWAITING_TAKEOVER);
        late.apply(late.timerBack());
        assertThat(late.failed().reason()).isEqualTo(TaskFailureReason.TAKEOVER_TIMEOUT);
    }

    @Test
    void aScreenThatCannotBeCapturedAsksAPersonOrFailsUnattended() {
        Run run = in(Situation.OBSERVING);
        run.apply(new TaskInput.CommandOutcome(run.awaiting(), DEVICE, CommandState.SUCCEEDED, "observed a secure screen",
                Observation.sensitive("com.bank.app"), null, null, null));
        assertThat(run.record.state()).isEqualTo(AWAITING_TAKEOVER);
        assertThat(run.announced(EventType.TASK_TAKEOVER_REQUESTED, TaskPaused.class).get(0).message()).contains("secure window").contains("com.bank.app");

        Run unattended = new Run(request(false, null, null));
        unattended.apply(unattended.placed(DEVICE));
        unattended.apply(new TaskInput.CommandOutcome(unattended.awaiting(), DEVICE, CommandState.SUCCEEDED, null, Observation.sensitive(null),
                null, null, null));
        assertThat(unattended.failed().reason()).isEqualTo(TaskFailureReason.TAKEOVER_UNATTENDED);
    }

    // --- ends ---

    @Test
    void aTaskThatSpendsItsStepsFailsMaxSteps() {
        Run run = new Run(request(true, 2, null));
        run.apply(run.placed(DEVICE));
        for (int i = 0; i < 2; i++) {
            run.apply(run.observed(i));
            run.apply(run.replied(new StepAction.Back()));
            run.apply(run.done());
        }
        TaskFailed failed = run.failed();
        assertThat(failed.reason()).isEqualTo(TaskFailureReason.MAX_STEPS);
        assertThat(failed.steps()).isEqualTo(2);
        assertThat(run.sent()).as("no third observation").isEmpty();
    }

    @Test
    void theDeadlineEndsTheTaskAtOnceWhateverIsInFlight() {
        Run run = in(Situation.ACTING);
        run.apply(run.deadline());
        TaskFailed failed = run.failed();
        assertThat(failed.reason()).isEqualTo(TaskFailureReason.DEADLINE);
        assertThat(failed.detail()).contains("in step 1 (RUNNING ACTING)");
        assertThat(run.released()).extracting(TaskEffect.ReleaseDevice::deviceId).containsExactly(DEVICE);

        Run late = new Run(new TaskRequested(TASK, "x", null, null, null, null, null, T0, false, null));
        assertThat(late.failed().reason()).isEqualTo(TaskFailureReason.DEADLINE);
        assertThat(late.last.effects(TaskEffect.Place.class)).as("never placed").isEmpty();
    }

    @Test
    void theFirstPlacementFindingNoDeviceFailsNoDevice() {
        Run run = new Run(request(true, null, null));
        run.apply(new TaskInput.NotPlaced(TASK, run.awaiting(), "no ONLINE Android device with Launch"));
        assertThat(run.failed().reason()).isEqualTo(TaskFailureReason.NO_DEVICE);
        assertThat(run.failed().detail()).isEqualTo("no ONLINE Android device with Launch");
        assertThat(run.released()).isEmpty();
    }

    // --- a lost device ---

    @Test
    void aDeviceLostMidTaskIsHandedOverWithItsHistoryAndTheStepIsTakenAgainThere() {
        Run run = in(Situation.ACTING);
        String oldAction = run.awaiting();
        run.apply(run.done());
        run.apply(run.observed(2));
        run.apply(run.replied(new StepAction.Home()));
        run.apply(run.lost(DEVICE));

        assertThat(run.record.state()).isEqualTo(PLACING);
        assertThat(run.released()).extracting(TaskEffect.ReleaseDevice::deviceId).containsExactly(DEVICE);
        assertThat(run.last.effects(TaskEffect.Place.class)).singleElement().satisfies(place -> assertThat(place.exclude()).containsExactly(DEVICE));
        assertThat(run.record.current()).as("the interrupted step is dropped").isNull();

        String lateAction = run.record.timeline().get(0).commandId();
        run.apply(run.placed(OTHER));
        TaskHandedOver handedOver = run.announced(EventType.TASK_HANDED_OVER, TaskHandedOver.class).get(0);
        assertThat(handedOver.fromDeviceId()).isEqualTo(DEVICE);
        assertThat(handedOver.toDeviceId()).isEqualTo(OTHER);
        assertThat(handedOver.reason()).contains("went OFFLINE");
        assertThat(handedOver.handOvers()).isEqualTo(1);
        assertThat(run.announced(EventType.TASK_ASSIGNED, TaskAssigned.class)).isEmpty();
        assertThat(run.sent()).singleElement().satisfies(observe -> assertThat(observe.deviceId()).isEqualTo(OTHER));
        assertThat(run.record.current().number()).as("step 2 again").isEqualTo(2);
        assertThat(run.record.history()).hasSize(2);

        run.apply(new TaskInput.CommandOutcome(lateAction, DEVICE, CommandState.SUCCEEDED, null, null, null, null, null));
        assertThat(run.last.verdict()).as("the lost device's late word").isEqualTo(Verdict.IGNORED);
        assertThat(lateAction).isEqualTo(oldAction);
        run.apply(new TaskInput.CommandOutcome(run.awaiting(), DEVICE, CommandState.SUCCEEDED, null, null, null, null, null));
        assertThat(run.last.verdict()).as("the lost device reporting the new device's command").isEqualTo(Verdict.IGNORED);
    }

    @Test
    void commandsThatExpireTimeOutOrFindTheDeviceUnreachableHandTheTaskOver() {
        for (Object[] outcome : new Object[][] {{CommandState.EXPIRED, null}, {CommandState.TIMED_OUT, null},
                {CommandState.FAILED, CommandFailureReason.DEVICE_UNREACHABLE}}) {
            Run run = in(Situation.ACTING);
            run.apply(run.ended((CommandState) outcome[0], (CommandFailureReason) outcome[1]));
            assertThat(run.record.state()).as(outcome[0].toString()).isEqualTo(PLACING);
            assertThat(run.record.handOverReason()).contains("its action");
        }
        Run observation = in(Situation.OBSERVING);
        observation.apply(observation.ended(CommandState.FAILED, CommandFailureReason.EXECUTION_ERROR));
        assertThat(observation.record.handOverReason()).contains("its observation");
    }

    @Test
    void noOtherDeviceAPinnedTaskOrTooManyHandOversFailTheTask() {
        Run none = in(Situation.HANDING_OVER);
        none.apply(new TaskInput.NotPlaced(TASK, none.awaiting(), "no other ONLINE device"));
        assertThat(none.failed().reason()).isEqualTo(TaskFailureReason.DEVICE_LOST_NO_OTHER);
        assertThat(none.failed().detail()).contains("d-1 was lost: went OFFLINE").contains("no other ONLINE device");

        Run pinned = new Run(request(true, null, DEVICE));
        assertThat(pinned.last.effects(TaskEffect.Place.class).get(0).deviceId()).isEqualTo(DEVICE);
        pinned.apply(pinned.placed(DEVICE));
        pinned.apply(pinned.lost(DEVICE));
        assertThat(pinned.failed().reason()).isEqualTo(TaskFailureReason.DEVICE_LOST_NO_OTHER);
        assertThat(pinned.failed().detail()).contains("runs on that device only");
        assertThat(pinned.released()).extracting(TaskEffect.ReleaseDevice::deviceId).containsExactly(DEVICE);

        Run again = new Run(request(true, null, null));
        for (int i = 0; i <= LIMITS.maxHandOvers(); i++) {
            String device = "d-" + (10 + i);
            again.apply(again.placed(device));
            again.apply(again.lost(device));
        }
        assertThat(again.failed().reason()).isEqualTo(TaskFailureReason.HAND_OVER_LIMIT);
        assertThat(again.record.lostDevices()).hasSize(LIMITS.maxHandOvers());
    }

    // --- cancel ---

    @Test
    void aCancelWaitsForTheCommandInFlightThenStopsBeforeAnythingNewStarts() {
        Run run = in(Situation.ACTING);
        run.apply(run.cancel());
        assertThat(run.last.verdict()).isEqualTo(Verdict.DEFERRED);
        assertThat(run.record.cancelPending()).isTrue();
        assertThat(run.last.effects()).isEmpty();

        run.apply(run.done());
        assertThat(run.record.state()).isEqualTo(CANCELED);
        assertThat(run.announced(EventType.TASK_STEP_COMPLETED, TaskStepCompleted.class)).as("the step that ran is kept").hasSize(1);
        assertThat(run.announced(EventType.TASK_CANCELED, TaskCanceled.class)).singleElement()
                .satisfies(canceled -> assertThat(canceled.reason()).isEqualTo("wrong phone (by ops)"));
        assertThat(run.sent()).as("no next observation").isEmpty();
        assertThat(run.released()).extracting(TaskEffect.ReleaseDevice::deviceId).containsExactly(DEVICE);
    }

    @Test
    void aCancelWhileThinkingEndsAtOnceAndTheLateReplyIsIgnored() {
        Run run = in(Situation.THINKING);
        TaskInput reply = run.replied(new StepAction.Back());
        run.apply(run.cancel());
        assertThat(run.record.state()).isEqualTo(CANCELED);
        run.apply(reply);
        assertThat(run.last.verdict()).isEqualTo(Verdict.IGNORED);
        assertThat(run.last.effects()).isEmpty();
    }

    // --- inputs ---

    @Test
    void inputsForATaskTheTableDoesNotHaveAreIgnoredWithoutARecord() {
        Decision decision = session.decide(null, new TaskInput.CancelRequested(new TaskCancelRequested("nope", null, null)), T0);
        assertThat(decision.verdict()).isEqualTo(Verdict.IGNORED);
        assertThat(decision.record()).isNull();
        assertThat(decision.note()).contains("no task nope");
    }

    @Test
    void aPersonsAnswerIsReadFromItsEventType() {
        TaskAnswer answer = new TaskAnswer(TASK, TaskRefs.step(TASK, 2), "zhang.wei", null);
        assertThat(TaskInput.Answered.of(EventType.TASK_CONFIRMATION_GIVEN, answer).kind()).isEqualTo(TaskInput.Answered.Kind.CONFIRMED);
        assertThat(TaskInput.Answered.of(EventType.TASK_CONFIRMATION_REFUSED, answer).kind()).isEqualTo(TaskInput.Answered.Kind.REFUSED);
        assertThat(TaskInput.Answered.of(EventType.TASK_TAKEOVER_DONE, answer).kind()).isEqualTo(TaskInput.Answered.Kind.TAKEN_OVER);
        assertThatThrownBy(() -> TaskInput.Answered.of(EventType.TASK_CANCEL_REQUESTED, answer)).hasMessageContaining("not a person's answer");
    }

    @Test
    void aTimerThatComesBackAfterWhatItGuardedMovedOnDoesNothing() {
        Run run = in(Situation.AWAITING_CONFIRMATION);
        TaskInput confirmationTimeout = run.timerBack();
        run.apply(answered(TaskInput.Answered.Kind.CONFIRMED, run.answer("zhang.wei")));
        run.apply(confirmationTimeout);
        assertThat(run.last.verdict()).isEqualTo(Verdict.IGNORED);
        assertThat(run.record.phase()).isEqualTo(TaskPhase.ACTING);

        TaskInput actTimeout = run.timerBack();
        run.apply(run.done());
        TaskInput placementTimeout = new TaskInput.TimerFired(run.timers.get(1));
        run.apply(actTimeout);
        run.apply(placementTimeout);
        assertThat(run.last.verdict()).isEqualTo(Verdict.IGNORED);
        assertThat(run.record.state()).isEqualTo(RUNNING);
        assertThat(run.record.phase()).isEqualTo(TaskPhase.OBSERVING);
        assertThat(run.record.ignored()).isEqualTo(3);
    }

    @Test
    void aTimerOfTheWrongKindForWhatTheTaskWaitsOnIsIgnored() {
        Run run = in(Situation.OBSERVING);
        run.apply(new TaskInput.TimerFired(new TaskTimer(TASK, TimerKind.WAIT, run.awaiting(), run.record.stepId(), run.now)));
        assertThat(run.last.verdict()).isEqualTo(Verdict.IGNORED);
        run.apply(new TaskInput.TimerFired(new TaskTimer(TASK, TimerKind.TASK_DEADLINE, "t-other", null, run.now)));
        assertThat(run.last.verdict()).isEqualTo(Verdict.IGNORED);
    }

    @Test
    void aCommandsOutcomeFindsItsTaskFromEveryFormItArrivesIn() {
        String commandId = TaskRefs.of(TaskRefs.step(TASK, 2), TaskRefs.Part.ACT);
        CommandCompleted completed = new CommandCompleted(commandId, DEVICE, "tapped", null, ran(T0, 5));
        assertThat(TaskInput.CommandOutcome.of(completed).taskId()).isEqualTo(TASK);
        assertThat(TaskInput.CommandOutcome.of(completed).state()).isEqualTo(CommandState.SUCCEEDED);

        CommandRecord failed = new CommandRecord(commandId, null, TENANT, DEVICE, null, CommandState.FAILED, T0, null, null, 1, List.of(), null,
                "DEVICE_UNREACHABLE: adb: device offline", 0, T0);
        TaskInput.CommandOutcome fromTable = TaskInput.CommandOutcome.of(failed);
        assertThat(fromTable.failure()).isEqualTo(CommandFailureReason.DEVICE_UNREACHABLE);
        assertThat(fromTable.detail()).isEqualTo("DEVICE_UNREACHABLE: adb: device offline");

        assertThatThrownBy(() -> new TaskInput.CommandOutcome("cmd-1", DEVICE, CommandState.SUCCEEDED, null, null, null, null, null).taskId())
                .hasMessageContaining("not a task's command");
        assertThatThrownBy(() -> new TaskInput.CommandOutcome(commandId, DEVICE, CommandState.IN_PROGRESS, null, null, null, null, null))
                .hasMessageContaining("terminal");
    }
}
