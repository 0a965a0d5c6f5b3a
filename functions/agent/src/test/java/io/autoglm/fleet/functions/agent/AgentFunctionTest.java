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
import io.autoglm.fleet.events.command.Observation;
import io.autoglm.fleet.events.fixtures.HttpForms;
import io.autoglm.fleet.events.inference.InferenceCompleted;
import io.autoglm.fleet.events.inference.InferenceRequested;
import io.autoglm.fleet.events.task.TaskRecord;
import io.autoglm.fleet.events.task.TaskState;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import static io.autoglm.fleet.functions.agent.AgentFixtures.onlinePhone;
import static io.autoglm.fleet.functions.agent.AgentFixtures.ran;
import static io.autoglm.fleet.functions.agent.AgentFixtures.reply;
import static io.autoglm.fleet.functions.agent.AgentFixtures.screenshot;
import static io.autoglm.fleet.functions.agent.AgentFixtures.task;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
@QuarkusTestResource(TestState.Keys.class)
class AgentFunctionTest {

    private static final URI SOURCE = URI.create("/test");
    /** A tenant of its own per test. */
    private String tenant;
    private String device;

    @BeforeEach
    void freshTenant() {
        tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        device = "d-" + tenant;
        onlinePhone(TestState.FLEET, tenant, device);
        TestState.PUBLISHED.clear();
    }

    private CloudEvent event(EventType type, Object payload) {
        return Events.newEvent(type, SOURCE, tenant, device, payload).build();
    }

    private static Response post(CloudEvent event) {
        return given().headers(HttpForms.binaryHeaders(event)).body(HttpForms.binaryBody(event)).post("/").then().log().ifValidationFails().extract().response();
    }

    private TaskRecord record(String taskId) {
        return TestState.TASKS.tableOf(tenant).get(taskId).orElseThrow();
    }

    private <T> List<T> published(EventType type, Class<T> payload) {
        return TestState.PUBLISHED.published.stream().filter(event -> event.getType().equals(type.type()) && tenant.equals(Events.tenant(event)))
                .map(event -> Events.payload(event, payload)).toList();
    }

    private CommandDispatched lastCommand() {
        List<CommandDispatched> commands = published(EventType.COMMAND_DISPATCHED, CommandDispatched.class);
        return commands.get(commands.size() - 1);
    }

    private InferenceRequested lastInference() {
        List<InferenceRequested> requests = published(EventType.INFERENCE_REQUESTED, InferenceRequested.class);
        return requests.get(requests.size() - 1);
    }

    private CloudEvent replied(StepAction action) {
        InferenceRequested request = lastInference();
        return event(EventType.INFERENCE_COMPLETED, new InferenceCompleted(request.requestId(), request.model().split("@")[0], 1, null, null, "remote", 1, 0, 400,
                reply("thinking", action)));
    }

    @Test
    void aTaskRunsObserveThinkActToFinishThroughTheFunctionsEvents() {
        post(event(EventType.TASK_REQUESTED, task("t1", null))).then().statusCode(204);
        assertThat(record("t1").state()).isEqualTo(TaskState.RUNNING);
        assertThat(record("t1").deviceId()).isEqualTo(device);

        CommandDispatched observe = lastCommand();
        post(event(EventType.COMMAND_COMPLETED, new CommandCompleted(observe.commandId(), device, "observed",
                Observation.stored(screenshot(1), "com.android.settings"), ran(TestState.CLOCK.instant(), 80)))).then().statusCode(204);
        post(replied(new StepAction.Tap(new RelativePoint(500, 500), null))).then().statusCode(204);
        CommandDispatched tap = lastCommand();
        CloudEvent tapped = event(EventType.COMMAND_COMPLETED, new CommandCompleted(tap.commandId(), device, "tapped", null,
                ran(TestState.CLOCK.instant(), 40)));
        post(tapped).then().statusCode(204);
        post(tapped).then().statusCode(204); // redelivered
        assertThat(published(EventType.COMMAND_DISPATCHED, CommandDispatched.class)).as("observe, tap, observe; nothing twice").hasSize(3);
        post(event(EventType.COMMAND_COMPLETED, new CommandCompleted(lastCommand().commandId(), device, "observed",
                Observation.stored(screenshot(2), "com.android.settings"), null))).then().statusCode(204);
        post(replied(new StepAction.Finish("done"))).then().statusCode(204);

        assertThat(record("t1").state()).isEqualTo(TaskState.COMPLETED);
        assertThat(record("t1").timeline()).hasSize(2);
        assertThat(record("t1").ignored()).isEqualTo(1);
        assertThat(TestState.RESERVATIONS.tableOf(tenant).get(device)).isEmpty();
    }

    @Test
    void commandsAndInferencesOfNoTaskAreNotTheAgents() {
        post(event(EventType.COMMAND_COMPLETED, new CommandCompleted("c-1", device, "ok", null, null))).then().statusCode(204);
        post(event(EventType.COMMAND_EXPIRED, new CommandEnded("c-2", device, CommandState.EXPIRED, "not delivered", null))).then().statusCode(204);
        post(event(EventType.INFERENCE_COMPLETED, new InferenceCompleted("r-1", "m", 1, List.of(List.of(0.5f)), null, "cpu", 1, 0, 2, null)))
                .then().statusCode(204);

        assertThat(TestState.TASKS.tableOf(tenant).snapshot()).isEmpty();
        assertThat(TestState.PUBLISHED.published).isEmpty();
    }

    @Test
    void aTasksEventWithoutATenantIsRefusedWithAProblem() {
        CloudEvent anonymous = CloudEventBuilder.v1().withId("e-1").withSource(SOURCE).withType(EventType.TASK_REQUESTED.type())
                .withData(Events.JSON, EventJson.write(task("t1", null))).build();

        post(anonymous).then().statusCode(400).contentType("application/problem+json").body("problems.location", hasItem("tenant"));
    }
}
