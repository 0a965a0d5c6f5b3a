package io.autoglm.fleet.functions.agent;

import io.autoglm.fleet.agent.Decision;
import io.autoglm.fleet.agent.SessionLimits;
import io.autoglm.fleet.agent.TaskEffect;
import io.autoglm.fleet.agent.TaskInput;
import io.autoglm.fleet.agent.TaskSession;
import io.autoglm.fleet.agent.Verdict;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.Extensions;
import io.autoglm.fleet.events.agent.RelativePoint;
import io.autoglm.fleet.events.agent.StepAction;
import io.autoglm.fleet.events.command.CommandCompleted;
import io.autoglm.fleet.events.command.CommandDispatched;
import io.autoglm.fleet.events.command.CommandEnded;
import io.autoglm.fleet.events.command.CommandState;
import io.autoglm.fleet.events.command.Observation;
import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.events.device.DeviceHeartbeat;
import io.autoglm.fleet.events.inference.AgentStepResult;
import io.autoglm.fleet.events.inference.FailureReason;
import io.autoglm.fleet.events.inference.InferenceCompleted;
import io.autoglm.fleet.events.inference.InferenceFailed;
import io.autoglm.fleet.events.inference.InferenceRequested;
import io.autoglm.fleet.events.task.DeviceReservation;
import io.autoglm.fleet.events.task.TaskCancelRequested;
import io.autoglm.fleet.events.task.TaskCompleted;
import io.autoglm.fleet.events.task.TaskFailureReason;
import io.autoglm.fleet.events.task.TaskPhase;
import io.autoglm.fleet.events.task.TaskRecord;
import io.autoglm.fleet.events.task.TaskRefs;
import io.autoglm.fleet.events.task.TaskState;
import io.autoglm.fleet.events.task.TaskTimer;
import io.autoglm.fleet.events.task.TimerKind;
import io.autoglm.fleet.events.testing.ManualClock;
import io.autoglm.fleet.events.validation.EventValidator;
import io.autoglm.fleet.routing.Router;
import io.autoglm.fleet.routing.RouterPolicy;
import io.autoglm.fleet.routing.views.FleetViews;
import io.autoglm.fleet.routing.views.HeartbeatFeed;
import io.autoglm.fleet.state.testing.InMemoryFleetState;
import io.autoglm.fleet.state.testing.InMemoryStateTopic;
import io.autoglm.fleet.state.testing.RecordingPublisher;
import io.cloudevents.CloudEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import static io.autoglm.fleet.functions.agent.AgentFixtures.onlinePhone;
import static io.autoglm.fleet.functions.agent.AgentFixtures.ran;
import static io.autoglm.fleet.functions.agent.AgentFixtures.reply;
import static io.autoglm.fleet.functions.agent.AgentFixtures.screenshot;
import static io.autoglm.fleet.functions.agent.AgentFixtures.task;
import static org.assertj.core.api.Assertions.assertThat;

class TaskServiceTest {

    private static final String TENANT = "acme";
    private static final Duration IDLE = Duration.ofSeconds(900);
    private static final EventValidator VALIDATOR = EventValidator.standard();

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-04T10:00:00Z"));
    private final InMemoryFleetState fleet = new InMemoryFleetState();
    private final InMemoryStateTopic<TaskRecord> tasks = new InMemoryStateTopic<>();
    private final InMemoryStateTopic<DeviceReservation> reservations = new InMemoryStateTopic<>();
    private final RecordingPublisher published = new RecordingPublisher();
    private final TaskPlacement placement = new TaskPlacement(new Router(RouterPolicy.DEFAULT, () -> new Random(7)),
            new FleetViews(fleet.state(), new NoLoad()), reservations, IDLE);
    private final TaskService service = new TaskService(new TaskSession(SessionLimits.defaults()), tasks, placement, published, clock);

    /** No heartbeats: placement on declarations and in-flight counts. */
    static final class NoLoad implements HeartbeatFeed {
        @Override
        public CompletableFuture<Void> follow(String tenant, Consumer<DeviceHeartbeat> listener) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {
        }
    }

    private Decision apply(TaskInput input) {
        clock.advance(Duration.ofMillis(100));
        return service.apply(TENANT, input).join();
    }

    private TaskRecord record(String taskId) {
        return tasks.tableOf(TENANT).get(taskId).orElseThrow();
    }

    private List<CloudEvent> published(EventType type) {
        return published.published.stream().filter(event -> event.getType().equals(type.type())).toList();
    }

    private CommandDispatched lastCommand() {
        List<CloudEvent> commands = published(EventType.COMMAND_DISPATCHED);
        return Events.payload(commands.get(commands.size() - 1), CommandDispatched.class);
    }

    private InferenceRequested lastInference() {
        List<CloudEvent> requests = published(EventType.INFERENCE_REQUESTED);
        return Events.payload(requests.get(requests.size() - 1), InferenceRequested.class);
    }

    private TaskInput observed(CommandDispatched observe, int n) {
        return TaskInput.CommandOutcome.of(new CommandCompleted(observe.commandId(), observe.deviceId(), "observed",
                Observation.stored(screenshot(n), "com.android.settings"), ran(clock.instant(), 80)));
    }

    private TaskInput done(CommandDispatched action) {
        return TaskInput.CommandOutcome.of(new CommandCompleted(action.commandId(), action.deviceId(), "tapped", null, ran(clock.instant(), 40)));
    }

    private TaskInput model(StepAction action) {
        InferenceRequested request = lastInference();
        return TaskInput.ModelReplied.of(new InferenceCompleted(request.requestId(), request.model(), 1, null, null, "remote", 1, 0, 400,
                reply("the Wi-Fi switch is at the top", action)));
    }

    @Test
    void aRequestedTaskIsPlacedOnAFreeDeviceReservedForItAndItsFirstObservationSentAsTheRouterWritesACommand() {
        onlinePhone(fleet, TENANT, "d1");

        Decision decision = apply(new TaskInput.Requested(TENANT, task("t1", null)));

        assertThat(decision.record().state()).isEqualTo(TaskState.RUNNING);
        assertThat(decision.record().phase()).isEqualTo(TaskPhase.OBSERVING);
        assertThat(record("t1")).isEqualTo(decision.record());
        assertThat(reservations.tableOf(TENANT).get("d1")).hasValueSatisfying(held -> {
            assertThat(held.taskId()).isEqualTo("t1");
            assertThat(held.placementId()).isEqualTo("task:t1:1:place");
        });
        CloudEvent observe = published(EventType.COMMAND_DISPATCHED).get(0);
        assertThat(observe.getId()).isEqualTo("task:t1:2:observe");
        assertThat(Events.partitionKey(observe)).isEqualTo("d1");
        assertThat(Events.tenant(observe)).isEqualTo(TENANT);
        assertThat(VALIDATOR.validate(observe).isValid()).isTrue();
        assertThat(Events.payload(observe, CommandDispatched.class).action().type()).isEqualTo(AgentAction.OBSERVE);
        assertThat(published(EventType.TASK_ASSIGNED)).singleElement().satisfies(assigned -> assertThat(VALIDATOR.validate(assigned).isValid()).isTrue());
        assertThat(published.scheduled).extracting(timer -> Events.payload(timer.getKey(), TaskTimer.class).kind())
                .containsExactly(TimerKind.TASK_DEADLINE, TimerKind.STEP_TIMEOUT, TimerKind.STEP_TIMEOUT);
        published.scheduled.forEach(timer -> {
            assertThat(timer.getValue()).isEqualTo(Events.payload(timer.getKey(), TaskTimer.class).due());
            assertThat(VALIDATOR.validate(timer.getKey()).isValid()).isTrue();
        });
    }

    @Test
    void observeThinkActFinishRunsTheLoopOnTheTopicsAndEndsCompletedWithTheDeviceReleased() {
        onlinePhone(fleet, TENANT, "d1");
        apply(new TaskInput.Requested(TENANT, task("t1", null)));

        apply(observed(lastCommand(), 1));
        CloudEvent asked = published(EventType.INFERENCE_REQUESTED).get(0);
        assertThat(asked.getId()).isEqualTo("task:t1:2:think");
        assertThat(Events.extension(asked, Extensions.PLACEMENT)).as("placed: the router leaves it, the inference function takes it").isEqualTo("cloud");
        assertThat(VALIDATOR.validate(asked).isValid()).isTrue();
        assertThat(lastInference().agent().screenshot()).isEqualTo(screenshot(1));

        apply(model(new StepAction.Tap(new RelativePoint(500, 500), null)));
        CommandDispatched tap = lastCommand();
        assertThat(tap.commandId()).isEqualTo("task:t1:2:act");
        assertThat(tap.action().type()).isEqualTo(AgentAction.TAP);
        assertThat(tap.action().params()).containsEntry("element", "[500,500]");

        apply(done(tap));
        assertThat(lastCommand().commandId()).isEqualTo("task:t1:3:observe");
        apply(observed(lastCommand(), 2));
        apply(model(new StepAction.Finish("done")));

        TaskRecord ended = record("t1");
        assertThat(ended.state()).isEqualTo(TaskState.COMPLETED);
        assertThat(ended.outcome()).isEqualTo("done");
        assertThat(ended.timeline()).hasSize(2);
        assertThat(ended.timeline().get(0).outcome()).isEqualTo(CommandState.SUCCEEDED);
        assertThat(reservations.tableOf(TENANT).get("d1")).as("released").isEmpty();
        assertThat(published(EventType.TASK_STEP_COMPLETED)).hasSize(2);
        assertThat(published(EventType.TASK_COMPLETED)).singleElement()
                .satisfies(completed -> assertThat(Events.payload(completed, TaskCompleted.class).message()).isEqualTo("done"));
        assertThat(published(EventType.COMMAND_DISPATCHED)).hasSize(3);
        assertThat(published(EventType.INFERENCE_REQUESTED)).hasSize(2);
    }

    @Test
    void aRedeliveredOutcomeExecutesNothingTwice() {
        onlinePhone(fleet, TENANT, "d1");
        apply(new TaskInput.Requested(TENANT, task("t1", null)));
        apply(observed(lastCommand(), 1));
        apply(model(new StepAction.Tap(new RelativePoint(500, 500), null)));
        TaskInput tapped = done(lastCommand());
        apply(tapped);
        int events = published.published.size();
        int timers = published.scheduled.size();

        Decision again = apply(tapped);

        assertThat(again.verdict()).isEqualTo(Verdict.IGNORED);
        assertThat(published.published).hasSize(events);
        assertThat(published.scheduled).hasSize(timers);
        assertThat(record("t1").ignored()).isEqualTo(1);
        assertThat(record("t1").steps()).isEqualTo(1);
        assertThat(apply(new TaskInput.Requested(TENANT, task("t1", null))).verdict()).as("a redelivered request").isEqualTo(Verdict.IGNORED);
        assertThat(published.published).hasSize(events);
    }

    @Test
    void aPlacementDecidedAgainAfterACrashFindsItsReservationAndTheSameIds() {
        onlinePhone(fleet, TENANT, "d1");
        onlinePhone(fleet, TENANT, "d2");
        Decision first = apply(new TaskInput.Requested(TENANT, task("t1", null)));
        tasks.tableOf(TENANT).remove("t1"); // crashed after carrying the effects out, before the write
        published.clear();

        Decision again = apply(new TaskInput.Requested(TENANT, task("t1", null)));

        assertThat(again.record().deviceId()).isEqualTo(first.record().deviceId());
        assertThat(lastCommand().commandId()).isEqualTo("task:t1:2:observe");
        assertThat(reservations.tableOf(TENANT).snapshot()).hasSize(1);
    }

    @Test
    void aDeviceRunsOneTaskAtATimeUntilItsReservationEndsOrGoesStale() {
        onlinePhone(fleet, TENANT, "d1");
        apply(new TaskInput.Requested(TENANT, task("t1", null)));

        Decision second = apply(new TaskInput.Requested(TENANT, task("t2", null)));
        assertThat(second.record().state()).isEqualTo(TaskState.FAILED);
        assertThat(second.record().failure()).isEqualTo(TaskFailureReason.NO_DEVICE);
        assertThat(second.record().outcome()).contains("1 excluded");

        Decision pinned = apply(new TaskInput.Requested(TENANT, task("t3", "d1")));
        assertThat(pinned.record().outcome()).contains("device d1 runs task t1");

        clock.advance(IDLE);
        Decision afterIdle = apply(new TaskInput.Requested(TENANT, task("t4", null)));
        assertThat(afterIdle.record().deviceId()).as("the stale reservation no longer holds d1").isEqualTo("d1");
        assertThat(reservations.tableOf(TENANT).get("d1")).hasValueSatisfying(held -> assertThat(held.taskId()).isEqualTo("t4"));
    }

    @Test
    void twoDevicesTakeTwoTasksOneEach() {
        onlinePhone(fleet, TENANT, "d1");
        onlinePhone(fleet, TENANT, "d2");

        String a = apply(new TaskInput.Requested(TENANT, task("t1", null))).record().deviceId();
        String b = apply(new TaskInput.Requested(TENANT, task("t2", null))).record().deviceId();

        assertThat(List.of(a, b)).containsExactlyInAnyOrder("d1", "d2");
    }

    @Test
    void aStepRenewsItsReservationSoARunningTaskKeepsItsDevice() {
        onlinePhone(fleet, TENANT, "d1");
        apply(new TaskInput.Requested(TENANT, task("t1", null)));
        clock.advance(IDLE.dividedBy(2));

        apply(observed(lastCommand(), 1));

        assertThat(reservations.tableOf(TENANT).get("d1").orElseThrow().renewedAt()).isEqualTo(clock.instant());
        clock.advance(IDLE.dividedBy(2).plusSeconds(1));
        assertThat(apply(new TaskInput.Requested(TENANT, task("t2", null))).record().failure()).isEqualTo(TaskFailureReason.NO_DEVICE);
    }

    @Test
    void aCancelWhileThinkingEndsTheTaskAndFreesTheDevice() {
        onlinePhone(fleet, TENANT, "d1");
        apply(new TaskInput.Requested(TENANT, task("t1", null)));
        apply(observed(lastCommand(), 1));

        apply(new TaskInput.CancelRequested(new TaskCancelRequested("t1", "not needed", "ops")));

        assertThat(record("t1").state()).isEqualTo(TaskState.CANCELED);
        assertThat(reservations.tableOf(TENANT).get("d1")).isEmpty();
        assertThat(published(EventType.TASK_CANCELED)).hasSize(1);
        assertThat(apply(model(new StepAction.Finish("late"))).verdict()).as("the reply after the end").isEqualTo(Verdict.IGNORED);
        assertThat(published(EventType.TASK_COMPLETED)).isEmpty();
    }

    @Test
    void aLostDeviceHandsTheTaskToAnotherOneAndReleasesTheLostOne() {
        onlinePhone(fleet, TENANT, "d1");
        onlinePhone(fleet, TENANT, "d2");
        String first = apply(new TaskInput.Requested(TENANT, task("t1", null))).record().deviceId();
        CommandDispatched observe = lastCommand();

        apply(TaskInput.CommandOutcome.of(new CommandEnded(observe.commandId(), first, CommandState.EXPIRED,
                "not delivered within 30 s", clock.instant())));

        TaskRecord handed = record("t1");
        String other = first.equals("d1") ? "d2" : "d1";
        assertThat(handed.deviceId()).isEqualTo(other);
        assertThat(handed.handOvers()).isEqualTo(1);
        assertThat(reservations.tableOf(TENANT).get(first)).isEmpty();
        assertThat(reservations.tableOf(TENANT).get(other)).hasValueSatisfying(held -> assertThat(held.taskId()).isEqualTo("t1"));
        assertThat(published(EventType.TASK_HANDED_OVER)).hasSize(1);
        assertThat(lastCommand().deviceId()).isEqualTo(other);
    }

    @Test
    void aDeviceGoneOfflineIsLostByTheTaskThatHoldsItAndTheTaskHandedOver() {
        onlinePhone(fleet, TENANT, "d1");
        apply(new TaskInput.Requested(TENANT, task("t1", null)));
        onlinePhone(fleet, TENANT, "d2");

        Decision lost = service.deviceGone(TENANT, "d1", "it went OFFLINE (no heartbeat for 30 s)").join();

        assertThat(lost.record().deviceId()).isEqualTo("d2");
        assertThat(lost.record().handOvers()).isEqualTo(1);
        assertThat(record("t1").lostDevices()).containsExactly("d1");
        assertThat(lastCommand().deviceId()).isEqualTo("d2");
        assertThat(service.deviceGone(TENANT, "d1", "again").join()).as("no task holds d1 any more").isNull();
        assertThat(service.deviceGone(TENANT, "d9", "never held").join()).isNull();
    }

    @Test
    void anotherReplicaOverTheSameTablesContinuesTheTaskFromItsLastStep() {
        onlinePhone(fleet, TENANT, "d1");
        apply(new TaskInput.Requested(TENANT, task("t1", null)));
        apply(observed(lastCommand(), 1));
        TaskInput tap = model(new StepAction.Tap(new RelativePoint(500, 500), null));
        TaskService replica = new TaskService(new TaskSession(SessionLimits.defaults()), tasks, new TaskPlacement(
                new Router(RouterPolicy.DEFAULT, () -> new Random(3)), new FleetViews(fleet.state(), new NoLoad()), reservations, IDLE),
                published, clock);

        replica.apply(TENANT, tap).join();

        assertThat(lastCommand().commandId()).isEqualTo("task:t1:2:act");
        assertThat(service.apply(TENANT, tap).join().verdict()).as("the first replica, handed the same reply").isEqualTo(Verdict.IGNORED);
        assertThat(published(EventType.COMMAND_DISPATCHED)).hasSize(2);
    }

    @Test
    void twoRepliesThatAreNoActionFailTheTaskWithTheRawText() {
        onlinePhone(fleet, TENANT, "d1");
        apply(new TaskInput.Requested(TENANT, task("t1", null)));
        for (int step = 1; step <= 2; step++) {
            apply(observed(lastCommand(), step));
            InferenceRequested request = lastInference();
            apply(TaskInput.ModelReplied.of(new InferenceCompleted(request.requestId(), "autoglm-phone-9b", 1, null, null, "remote", 1, 0, 400,
                    new AgentStepResult("I would rather not", "", "", null, "no do(action=...) in it", 50, 400,
                            900, 5))));
        }

        TaskRecord failed = record("t1");
        assertThat(failed.state()).isEqualTo(TaskState.FAILED);
        assertThat(failed.failure()).isEqualTo(TaskFailureReason.MODEL_UNPARSEABLE);
        assertThat(failed.raw()).isEqualTo("I would rather not");
        assertThat(reservations.tableOf(TENANT).get("d1")).isEmpty();
    }

    @Test
    void aFailedInferenceIsAFailedStepAndTheNextStepAsksAgain() {
        onlinePhone(fleet, TENANT, "d1");
        apply(new TaskInput.Requested(TENANT, task("t1", null)));
        apply(observed(lastCommand(), 1));

        apply(TaskInput.ModelFailed.of(new InferenceFailed(lastInference().requestId(), "autoglm-phone-9b",
                FailureReason.BACKEND_UNAVAILABLE, "502 from the backend", null)));

        assertThat(record("t1").state()).isEqualTo(TaskState.RUNNING);
        assertThat(record("t1").timeline()).singleElement().satisfies(step -> assertThat(step.detail()).contains("502 from the backend"));
        assertThat(lastCommand().commandId()).as("a new observation").isEqualTo("task:t1:3:observe");
    }

    @Test
    void aWaitIsATimerNotAThread() {
        onlinePhone(fleet, TENANT, "d1");
        apply(new TaskInput.Requested(TENANT, task("t1", null)));
        apply(observed(lastCommand(), 1));
        TaskInput waitAWhile = model(new StepAction.Wait(Duration.ofSeconds(3)));
        published.clear();

        apply(waitAWhile);

        assertThat(published(EventType.COMMAND_DISPATCHED)).isEmpty();
        Map.Entry<CloudEvent, Instant> wait = published.scheduled.stream()
                .filter(timer -> Events.payload(timer.getKey(), TaskTimer.class).kind() == TimerKind.WAIT).findFirst().orElseThrow();
        assertThat(wait.getValue()).isEqualTo(clock.instant().plusSeconds(3));
        assertThat(wait.getKey().getId()).isEqualTo(TaskService.timer(TENANT, Events.payload(wait.getKey(), TaskTimer.class)).getId());

        clock.advance(Duration.ofSeconds(3));
        apply(new TaskInput.TimerFired(Events.payload(wait.getKey(), TaskTimer.class)));
        assertThat(lastCommand().commandId()).isEqualTo(TaskRefs.of(TaskRefs.step("t1", 3), TaskRefs.Part.OBSERVE));
    }

    @Test
    void aTaskOfAnotherTenantIsNotFound() {
        onlinePhone(fleet, TENANT, "d1");
        apply(new TaskInput.Requested(TENANT, task("t1", null)));

        assertThat(service.task("globex", "t1").join()).isEmpty();
        assertThat(service.tasksOf(TENANT, Set.of(TaskState.RUNNING)).join()).extracting(TaskRecord::taskId).containsExactly("t1");
        assertThat(service.tasksOf(TENANT, Set.of(TaskState.COMPLETED)).join()).isEmpty();
    }
}
