package io.autoglm.fleet.functions.agent;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.agent.RelativePoint;
import io.autoglm.fleet.events.agent.StepAction;
import io.autoglm.fleet.events.command.CommandDispatched;
import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.events.task.TaskState;
import io.autoglm.fleet.triggers.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.autoglm.fleet.functions.agent.AgentFixtures.task;
import static io.autoglm.fleet.functions.agent.TestTenant.post;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
@QuarkusTestResource(TestState.Keys.class)
class TaskQueriesTest {

    private TestTenant acme;

    @BeforeEach
    void freshTenant() {
        acme = new TestTenant();
        TestState.PUBLISHED.clear();
    }

    private RequestSpecification as(String tenant) {
        return given().header("Authorization", "Bearer " + TestTokens.token(tenant));
    }

    /** t1 requested, observed, and the model's action {@code action} taken. */
    private void runTo(StepAction action) {
        post(acme.event(EventType.TASK_REQUESTED, task("t1", null))).then().statusCode(204);
        post(acme.completed(1)).then().statusCode(204);
        post(acme.replied(action)).then().statusCode(204);
    }

    @Test
    void aTaskIsShownWithItsStateAndWholeTimelineWithScreenshotLinks() {
        runTo(new StepAction.Tap(new RelativePoint(500, 500), null));
        post(acme.completed(0)).then().statusCode(204);

        as(acme.tenant).get("/tasks/t1").then().statusCode(200).contentType("application/json")
                .body("taskId", equalTo("t1"))
                .body("state", equalTo("RUNNING"))
                .body("phase", equalTo("OBSERVING"))
                .body("timeline", hasSize(1))
                .body("timeline[0].screenshot.uri", equalTo("http://127.0.0.1:9000/blobs/acme/screens/1.png"))
                .body("timeline[0].action.action", equalTo("Tap"))
                .body("timeline[0].outcome", equalTo("SUCCEEDED"));
        as(acme.tenant).get("/tenants/" + acme.tenant + "/tasks/t1").then().statusCode(200).body("taskId", equalTo("t1"));
    }

    @Test
    void theTenantsTasksAreListedByState() {
        runTo(new StepAction.Tap(new RelativePoint(500, 500), null));

        as(acme.tenant).get("/tasks?state=RUNNING").then().statusCode(200).body("tenant", equalTo(acme.tenant))
                .body("tasks.taskId", contains("t1")).body("tasks[0].instruction", startsWith("open Settings"));
        as(acme.tenant).get("/tasks?state=completed,failed").then().statusCode(200).body("tasks", hasSize(0));
        as(acme.tenant).get("/tasks").then().statusCode(200).body("tasks", hasSize(1));
        as(acme.tenant).get("/tasks?state=DONE").then().statusCode(400).contentType("application/problem+json")
                .body("problems[0].location", equalTo("query.state"));
    }

    @Test
    void everyRefusalIsAProblem() {
        runTo(new StepAction.Tap(new RelativePoint(500, 500), null));

        given().get("/tasks/t1").then().statusCode(401).contentType("application/problem+json").header("WWW-Authenticate", "Bearer");
        given().header("Authorization", "Bearer not-a-jwt").get("/tasks/t1").then().statusCode(401);
        as("globex").get("/tasks/t1").then().statusCode(404).body("type", equalTo("https://autoglm.io/problems/unknown-task"));
        as("globex").get("/tenants/" + acme.tenant + "/tasks/t1").then().statusCode(403).contentType("application/problem+json");
        as(acme.tenant).post("/tasks/t9/cancel").then().statusCode(404);
        as(acme.tenant).contentType("application/json").body("{\"confirmed\": true}").post("/tasks/t1/confirmation").then().statusCode(409)
                .contentType("application/problem+json").body("detail", startsWith("task t1 is RUNNING, not waiting for a confirmation"));
        as(acme.tenant).post("/tasks/t1/takeover").then().statusCode(409);
        as(acme.tenant).contentType("application/json").body("[1]").post("/tasks/t1/cancel").then().statusCode(400);
    }

    @Test
    void aCancelWaitsForTheCommandInFlightThenEndsTheTask() {
        runTo(new StepAction.Tap(new RelativePoint(500, 500), null)); // the tap is on the device

        as(acme.tenant).contentType("application/json").body("{\"reason\": \"wrong phone\"}").post("/tasks/t1/cancel").then().statusCode(202)
                .body("state", equalTo("RUNNING")).body("cancelReason", startsWith("wrong phone"));
        post(acme.completed(0)).then().statusCode(204);

        assertThat(acme.record("t1").state()).isEqualTo(TaskState.CANCELED);
        as(acme.tenant).post("/tasks/t1/cancel").then().statusCode(409).body("detail", startsWith("task t1 is CANCELED"));
    }

    @Test
    void aSensitiveTapWaitsForAPersonsYesOverHttp() {
        runTo(new StepAction.Tap(new RelativePoint(500, 500), "pay 10 EUR"));
        assertThat(acme.record("t1").state()).isEqualTo(TaskState.AWAITING_CONFIRMATION);

        as(acme.tenant).contentType("application/json").body("{\"confirmed\": \"yes\"}").post("/tasks/t1/confirmation").then().statusCode(400)
                .body("problems[0].location", equalTo("body.confirmed"));
        as(acme.tenant).contentType("application/json").body("{\"confirmed\": true}").post("/tasks/t1/confirmation").then().statusCode(200)
                .body("state", equalTo("RUNNING")).body("phase", equalTo("ACTING"));

        CommandDispatched tap = acme.lastCommand();
        assertThat(tap.action().type()).isEqualTo(AgentAction.TAP);
        assertThat(tap.reason()).contains("confirmed by gateway@" + acme.tenant);
    }

    @Test
    void aRefusalOverHttpFailsTheTask() {
        runTo(new StepAction.Tap(new RelativePoint(500, 500), "pay 10 EUR"));

        as(acme.tenant).contentType("application/json").body("{\"confirmed\": false, \"comment\": \"too much\"}").post("/tasks/t1/confirmation")
                .then().statusCode(200).body("state", equalTo("FAILED")).body("failure", equalTo("CONFIRMATION_REFUSED"));
    }

    @Test
    void aTakeOverDoneOverHttpGoesOnWithTheNextStep() {
        runTo(new StepAction.TakeOver("log in, please"));
        assertThat(acme.record("t1").state()).isEqualTo(TaskState.AWAITING_TAKEOVER);

        as(acme.tenant).post("/tasks/t1/takeover").then().statusCode(200).body("state", equalTo("RUNNING")).body("phase", equalTo("OBSERVING"))
                .body("timeline", hasSize(1));
        assertThat(acme.lastCommand().commandId()).isEqualTo("task:t1:3:observe");
    }
}
