package io.autoglm.fleet.functions.agent;

import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.agent.RelativePoint;
import io.autoglm.fleet.events.agent.StepAction;
import io.autoglm.fleet.events.command.CommandCompleted;
import io.autoglm.fleet.events.command.CommandDispatched;
import io.autoglm.fleet.events.command.CommandEnded;
import io.autoglm.fleet.events.command.CommandState;
import io.autoglm.fleet.events.device.DeviceStatusChanged;
import io.autoglm.fleet.events.device.LivenessStatus;
import io.autoglm.fleet.events.inference.InferenceCompleted;
import io.autoglm.fleet.events.task.TaskCancelRequested;
import io.autoglm.fleet.events.task.TaskFailureReason;
import io.autoglm.fleet.events.task.TaskState;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static io.autoglm.fleet.functions.agent.AgentFixtures.task;
import static io.autoglm.fleet.functions.agent.TestTenant.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
@QuarkusTestResource(TestState.Keys.class)
class AgentFunctionTest {

    private TestTenant acme;

    @BeforeEach
    void freshTenant() {
        acme = new TestTenant();
        TestState.PUBLISHED.clear();
    }

    @Test
    void aTaskRunsObserveThinkActToFinishThroughTheFunctionsEvents() {
        post(acme.event(EventType.TASK_REQUESTED, task("t1", null))).then().statusCode(204);
        assertThat(acme.record("t1").state()).isEqualTo(TaskState.RUNNING);
        assertThat(acme.record("t1").deviceId()).isEqualTo(acme.device);

        post(acme.completed(1)).then().statusCode(204);
        post(acme.replied(new StepAction.Tap(new RelativePoint(500, 500), null))).then().statusCode(204);
        CloudEvent tapped = acme.completed(0);
        post(tapped).then().statusCode(204);
        post(tapped).then().statusCode(204); // redelivered
        assertThat(acme.published(EventType.COMMAND_DISPATCHED, CommandDispatched.class)).as("observe, tap, observe; nothing twice").hasSize(3);
        post(acme.completed(2)).then().statusCode(204);
        post(acme.replied(new StepAction.Finish("done"))).then().statusCode(204);

        assertThat(acme.record("t1").state()).isEqualTo(TaskState.COMPLETED);
        assertThat(acme.record("t1").timeline()).hasSize(2);
        assertThat(acme.record("t1").ignored()).isEqualTo(1);
        assertThat(TestState.RESERVATIONS.tableOf(acme.tenant).get(acme.device)).isEmpty();
    }

    @Test
    void commandsAndInferencesOfNoTaskAreNotTheAgents() {
        post(acme.event(EventType.COMMAND_COMPLETED, new CommandCompleted("c-1", acme.device, "ok", null, null))).then().statusCode(204);
        post(acme.event(EventType.COMMAND_EXPIRED, new CommandEnded("c-2", acme.device, CommandState.EXPIRED, "not delivered", null)))
                .then().statusCode(204);
        post(acme.event(EventType.INFERENCE_COMPLETED, new InferenceCompleted("r-1", "m", 1, List.of(List.of(0.5f)), null, "cpu", 1, 0, 2, null)))
                .then().statusCode(204);

        assertThat(TestState.TASKS.tableOf(acme.tenant).snapshot()).isEmpty();
        assertThat(TestState.PUBLISHED.published).isEmpty();
    }

    @Test
    void aDeviceGoingOfflineFailsThePinnedTaskThatHoldsItAndAnotherStatusChangesNothing() {
        post(acme.event(EventType.TASK_REQUESTED, task("t1", acme.device))).then().statusCode(204);
        post(acme.event(EventType.DEVICE_STATUS_CHANGED, new DeviceStatusChanged(acme.device, acme.tenant, LivenessStatus.ONLINE,
                LivenessStatus.SUSPECT, "heartbeat late", 3, null, TestState.CLOCK.instant()))).then().statusCode(204);
        assertThat(acme.record("t1").state()).isEqualTo(TaskState.RUNNING);

        post(acme.event(EventType.DEVICE_STATUS_CHANGED, new DeviceStatusChanged(acme.device, acme.tenant, LivenessStatus.SUSPECT,
                LivenessStatus.OFFLINE, "no heartbeat for 30 s", 3, null, TestState.CLOCK.instant()))).then().statusCode(204);

        assertThat(acme.record("t1").state()).isEqualTo(TaskState.FAILED);
        assertThat(acme.record("t1").failure()).isEqualTo(TaskFailureReason.DEVICE_LOST_NO_OTHER);
        assertThat(acme.record("t1").outcome()).contains("it went OFFLINE (no heartbeat for 30 s)");
        assertThat(TestState.RESERVATIONS.tableOf(acme.tenant).get(acme.device)).isEmpty();
    }

    @Test
    void aCancelWithNothingToCancelIsRejectedSayingWhyAndOneTakenHasNoReply() {
        post(acme.event(EventType.TASK_CANCEL_REQUESTED, new TaskCancelRequested("t-none", "stop", "operator"))).then().statusCode(200)
                .header("ce-type", EventType.TASK_CANCEL_REJECTED.type())
                .header("ce-partitionkey", "t-none")
                .body("requestType", equalTo(EventType.TASK_CANCEL_REQUESTED.type()))
                .body("subject", equalTo("t-none"))
                .body("problems[0].message", equalTo("no task t-none in tenant " + acme.tenant + ": nothing to cancel"));

        post(acme.event(EventType.TASK_REQUESTED, task("t1", null))).then().statusCode(204);
        post(acme.event(EventType.TASK_CANCEL_REQUESTED, new TaskCancelRequested("t1", "wrong phone", "operator"))).then().statusCode(204);
        assertThat(acme.record("t1").state()).isIn(TaskState.CANCELED, TaskState.RUNNING); // at once, or at its next step boundary
        post(acme.completed(1)).then().statusCode(204);
        assertThat(acme.record("t1").state()).isEqualTo(TaskState.CANCELED);

        post(acme.event(EventType.TASK_CANCEL_REQUESTED, new TaskCancelRequested("t1", "again", "operator"))).then().statusCode(200)
                .header("ce-type", EventType.TASK_CANCEL_REJECTED.type())
                .body("problems[0].message", org.hamcrest.Matchers.startsWith("task t1 already ended CANCELED at "));
    }

    @Test
    void aTasksEventWithoutATenantIsRefusedWithAProblem() {
        CloudEvent anonymous = CloudEventBuilder.v1().withId("e-1").withSource(URI.create("/test")).withType(EventType.TASK_REQUESTED.type())
                .withData(Events.JSON, EventJson.write(task("t1", null))).build();

        post(anonymous).then().statusCode(400).contentType("application/problem+json").body("problems.location", hasItem("tenant"));
    }
}
