package io.autoglm.fleet.functions.agent;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.agent.StepAction;
import io.autoglm.fleet.events.command.CommandCompleted;
import io.autoglm.fleet.events.command.CommandDispatched;
import io.autoglm.fleet.events.command.Observation;
import io.autoglm.fleet.events.fixtures.HttpForms;
import io.autoglm.fleet.events.inference.InferenceCompleted;
import io.autoglm.fleet.events.inference.InferenceRequested;
import io.autoglm.fleet.events.task.TaskRecord;
import io.cloudevents.CloudEvent;
import io.restassured.response.Response;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import static io.autoglm.fleet.functions.agent.AgentFixtures.onlinePhone;
import static io.autoglm.fleet.functions.agent.AgentFixtures.ran;
import static io.autoglm.fleet.functions.agent.AgentFixtures.reply;
import static io.autoglm.fleet.functions.agent.AgentFixtures.screenshot;
import static io.restassured.RestAssured.given;

/** A tenant of its own with one ONLINE phone, for a {@code @QuarkusTest} of the function over {@link TestState}: its events posted, its outputs read. */
final class TestTenant {

    private static final URI SOURCE = URI.create("/test");

    final String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
    final String device = "d-" + tenant;

    TestTenant() {
        onlinePhone(TestState.FLEET, tenant, device);
    }

    CloudEvent event(EventType type, Object payload) {
        return Events.newEvent(type, SOURCE, tenant, device, payload).build();
    }

    static Response post(CloudEvent event) {
        return given().headers(HttpForms.binaryHeaders(event)).body(HttpForms.binaryBody(event)).post("/")
                .then().log().ifValidationFails().extract().response();
    }

    TaskRecord record(String taskId) {
        return TestState.TASKS.tableOf(tenant).get(taskId).orElseThrow();
    }

    <T> List<T> published(EventType type, Class<T> payload) {
        return TestState.PUBLISHED.published.stream().filter(event -> event.getType().equals(type.type()) && tenant.equals(Events.tenant(event)))
                .map(event -> Events.payload(event, payload)).toList();
    }

    CommandDispatched lastCommand() {
        List<CommandDispatched> commands = published(EventType.COMMAND_DISPATCHED, CommandDispatched.class);
        return commands.get(commands.size() - 1);
    }

    InferenceRequested lastInference() {
        List<InferenceRequested> requests = published(EventType.INFERENCE_REQUESTED, InferenceRequested.class);
        return requests.get(requests.size() - 1);
    }

    /** The last command completed, with a screenshot {@code n} when it was an observation. */
    CloudEvent completed(int n) {
        CommandDispatched command = lastCommand();
        Observation observation = command.commandId().endsWith(":observe") ? Observation.stored(screenshot(n), "com.android.settings") : null;
        return event(EventType.COMMAND_COMPLETED, new CommandCompleted(command.commandId(), device, "done", observation,
                ran(TestState.CLOCK.instant(), 50)));
    }

    /** The model's reply to the last inference request (the model named as the inference function names it: no alias). */
    CloudEvent replied(StepAction action) {
        InferenceRequested request = lastInference();
        return event(EventType.INFERENCE_COMPLETED, new InferenceCompleted(request.requestId(), request.model().split("@")[0], 1, null, null,
                "remote", 1, 0, 400, reply("thinking", action)));
    }
}
