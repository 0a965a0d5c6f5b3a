package io.autoglm.fleet.events.task;

import io.autoglm.fleet.events.EventFamily;
import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.events.agent.RelativePoint;
import io.autoglm.fleet.events.agent.StepAction;
import io.autoglm.fleet.events.command.CommandAction;
import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.events.fixtures.ValidEvents;
import io.autoglm.fleet.events.validation.EventValidator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class TaskContractTest {

    private final EventValidator validator = EventValidator.standard();

    @Test
    void requestsAndAnswersFromOutsideAreApartFromWhatTheSessionSaysAndFromItsTimers() {
        Map<EventFamily, List<String>> families = Arrays.stream(EventType.values()).filter(type -> type.type().startsWith("io.autoglm.task."))
                .collect(Collectors.groupingBy(EventType::family, Collectors.mapping(EventType::type, Collectors.toList())));
        assertThat(families.get(EventFamily.TASK)).containsExactlyInAnyOrder("io.autoglm.task.requested", "io.autoglm.task.cancel.requested",
                "io.autoglm.task.confirmation.given", "io.autoglm.task.confirmation.refused", "io.autoglm.task.takeover.done");
        assertThat(families.get(EventFamily.TASK_TIMER)).containsExactly("io.autoglm.task.timer");
        assertThat(families.get(EventFamily.TASK_STATUS)).hasSize(9).contains("io.autoglm.task.cancel.rejected");
        assertThat(families.keySet()).containsExactlyInAnyOrder(EventFamily.TASK, EventFamily.TASK_STATUS, EventFamily.TASK_TIMER);
        assertThat(EventType.TASK_REQUESTED.tenantScoped()).isTrue();
    }

    @Test
    void aRequestOutsideTheContractIsRejectedNamingTheField() {
        String valid = ValidEvents.json(EventType.TASK_REQUESTED);
        assertThat(problems(EventType.TASK_REQUESTED, valid)).isEmpty();
        assertThat(problems(EventType.TASK_REQUESTED, valid.replace("\"maxSteps\":50", "\"maxSteps\":0"))).contains("data.maxSteps");
        assertThat(problems(EventType.TASK_REQUESTED, valid.replace("\"maxSteps\":50", "\"maxSteps\":5000"))).contains("data.maxSteps");
        assertThat(problems(EventType.TASK_REQUESTED, valid.replace("\"language\":\"zh\"", "\"language\":\"fr\""))).contains("data.language");
        assertThat(problems(EventType.TASK_REQUESTED, valid.replace("\"taskId\":\"task-0001\"", "\"taskId\":\"a task\""))).contains("data.taskId");
        assertThat(problems(EventType.TASK_REQUESTED, valid.replace("autoglm-phone-9b@stable", "AutoGLM Phone"))).contains("data.model");
        assertThat(problems(EventType.TASK_REQUESTED, valid.replaceFirst("\"instruction\":\"[^\"]*\",", ""))).contains("data.instruction");
    }

    @Test
    void aFailureNamesAKnownReasonAndAnAnswerNamesAStep() {
        String failed = ValidEvents.json(EventType.TASK_FAILED);
        assertThat(problems(EventType.TASK_FAILED, failed.replace("MODEL_UNPARSEABLE", "OOPS"))).contains("data.reason");
        assertThat(problems(EventType.TASK_FAILED, failed.replaceFirst("\"detail\":\"[^\"]*\",", ""))).contains("data.detail");
        String answer = ValidEvents.json(EventType.TASK_CONFIRMATION_GIVEN);
        assertThat(problems(EventType.TASK_CONFIRMATION_GIVEN, answer.replace("task:task-0001:4", "step 4"))).contains("data.stepId");
        String timer = ValidEvents.json(EventType.TASK_TIMER);
        assertThat(problems(EventType.TASK_TIMER, timer.replace("\"WAIT\"", "\"SNOOZE\""))).contains("data.kind");
    }

    @Test
    void aStepCarriesItsTimingsAndEveryActionOfTheGrammar() {
        String step = ValidEvents.json(EventType.TASK_STEP_COMPLETED);
        assertThat(problems(EventType.TASK_STEP_COMPLETED, step.replace("\"overheadMs\":218", "\"overheadMs\":-1")))
                .contains("data.step.timings.overheadMs");
        for (StepAction action : List.of(new StepAction.Finish("done"), new StepAction.Wait(Duration.ofSeconds(2)), new StepAction.Back(),
                new StepAction.TakeOver("log in"), new StepAction.Type("张三", true))) {
            TaskStepCompleted sample = (TaskStepCompleted) io.autoglm.fleet.events.fixtures.SamplePayloads.of(EventType.TASK_STEP_COMPLETED);
            StepSummary s = sample.step();
            TaskStepCompleted other = new TaskStepCompleted(sample.taskId(), new StepSummary(s.number(), s.stepId(), s.deviceId(), s.screenshot(),
                    s.currentApp(), s.thinking(), action, null, null, null, null, null, s.timings(), s.startedAt(), s.endedAt()));
            byte[] json = EventJson.write(other);
            assertThat(validator.validateData(EventType.TASK_STEP_COMPLETED, EventJson.tree(json))).as(new String(json)).isEmpty();
            assertThat(EventJson.read(json, TaskStepCompleted.class)).isEqualTo(other);
        }
    }

    @Test
    void aModelsStepBecomesTheCommandTheDeviceAgentReadsOrNoneWhenItTouchesNoDevice() {
        RelativePoint p = new RelativePoint(500, 320);
        assertThat(CommandAction.forStep(new StepAction.Tap(p, "pay ¥25"))).contains(new CommandAction(AgentAction.TAP, Map.of("element", "[500,320]")));
        assertThat(CommandAction.forStep(new StepAction.Launch("微信"))).contains(new CommandAction(AgentAction.LAUNCH, Map.of("app", "微信")));
        assertThat(CommandAction.forStep(new StepAction.Type("张三", true))).contains(new CommandAction(AgentAction.TYPE_NAME, Map.of("text", "张三")));
        assertThat(CommandAction.forStep(new StepAction.Type("hi", false))).contains(new CommandAction(AgentAction.TYPE, Map.of("text", "hi")));
        assertThat(CommandAction.forStep(new StepAction.Swipe(p, new RelativePoint(500, 900))))
                .contains(new CommandAction(AgentAction.SWIPE, Map.of("start", "[500,320]", "end", "[500,900]")));
        assertThat(CommandAction.forStep(new StepAction.LongPress(p))).contains(new CommandAction(AgentAction.LONG_PRESS, Map.of("element", "[500,320]")));
        assertThat(CommandAction.forStep(new StepAction.DoubleTap(p))).contains(new CommandAction(AgentAction.DOUBLE_TAP, Map.of("element", "[500,320]")));
        assertThat(CommandAction.forStep(new StepAction.Back())).contains(new CommandAction(AgentAction.BACK, Map.of()));
        assertThat(CommandAction.forStep(new StepAction.Home())).contains(new CommandAction(AgentAction.HOME, Map.of()));
        for (StepAction none : List.of(new StepAction.Finish("done"), new StepAction.Wait(Duration.ofSeconds(1)), new StepAction.Note("price 25"),
                new StepAction.CallApi("sum up"), new StepAction.Interact(), new StepAction.TakeOver("log in"))) {
            assertThat(CommandAction.forStep(none)).as(none.name()).isEmpty();
        }
    }

    private List<String> problems(EventType type, String json) {
        return validator.validateData(type, EventJson.tree(json.getBytes(java.nio.charset.StandardCharsets.UTF_8))).stream()
                .map(Problem::location).toList();
    }
}
