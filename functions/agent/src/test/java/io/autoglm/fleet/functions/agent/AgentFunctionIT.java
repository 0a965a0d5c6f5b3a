package io.autoglm.fleet.functions.agent;

import io.autoglm.fleet.events.device.DeviceStatusChanged;
import io.autoglm.fleet.events.device.LivenessStatus;
import io.autoglm.fleet.events.agent.UnparseableReplyException;
import io.autoglm.fleet.events.command.CommandDeclined;
import io.autoglm.fleet.events.command.DeclineReason;
import io.autoglm.fleet.events.command.Requirements;
import io.autoglm.fleet.events.command.RoutingStrategy;
import io.autoglm.fleet.events.task.TaskRequested;
import io.autoglm.fleet.agent.TaskSession;
import java.util.List;
import io.autoglm.fleet.events.EventFamily;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.Extensions;
import io.autoglm.fleet.events.agent.ActionGrammar;
import io.autoglm.fleet.events.agent.AgentReply;
import io.autoglm.fleet.events.command.CommandCompleted;
import io.autoglm.fleet.events.command.CommandDispatched;
import io.autoglm.fleet.events.command.CommandTimings;
import io.autoglm.fleet.events.command.Observation;
import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.events.fixtures.HttpForms;
import io.autoglm.fleet.events.inference.AgentStepResult;
import io.autoglm.fleet.events.inference.InferenceCompleted;
import io.autoglm.fleet.events.inference.InferenceRequested;
import io.autoglm.fleet.events.pulsar.PulsarMessageFactory;
import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.events.task.TaskRecord;
import io.autoglm.fleet.events.task.TaskState;
import io.autoglm.fleet.events.testing.PulsarEndpoints;
import io.autoglm.fleet.events.testing.SharedPulsarBroker;
import io.autoglm.fleet.state.pulsar.PulsarStateTopic;
import io.autoglm.fleet.triggers.testing.TestTokens;
import io.cloudevents.CloudEvent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.SubscriptionInitialPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.autoglm.fleet.functions.agent.AgentFixtures.screenshot;
import static io.autoglm.fleet.functions.agent.AgentFixtures.task;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

/**
 * The function as it is deployed, on the real broker: its own tables (task state, reservations, the fleet's registry and
 * liveness), publisher and token check, no test doubles. The test plays the device (it reads the tenant's command topic and
 * answers) and the agent model (it reads the inference requests and answers with the model's text), as the gateway and the
 * inference function would through the dispatcher.
 */
@QuarkusTest
@TestProfile(AgentFunctionIT.RealBroker.class)
@QuarkusTestResource(value = TestState.Keys.class, restrictToAnnotatedClass = true)
class AgentFunctionIT {

    private static final URI SOURCE = URI.create("/it");
    private final String tenant = "it-" + UUID.randomUUID().toString().substring(0, 8);
    private final String device = "d-" + tenant;
    private final Topics topics = Topics.defaults();

    /** The shared broker, the in-memory doubles off. */
    public static class RealBroker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            PulsarEndpoints endpoints = SharedPulsarBroker.endpoints();
            return Map.of("agent-test.in-memory", "false",
                    "autoglm.pulsar.service-url", endpoints.serviceUrl());
        }
    }

    private void post(EventType type, Object payload) {
        CloudEvent event = Events.newEvent(type, SOURCE, tenant, device, payload).build();
        given().headers(HttpForms.binaryHeaders(event)).body(HttpForms.binaryBody(event)).post("/").then().statusCode(204);
    }

    private static CloudEvent next(Consumer<byte[]> topic) throws Exception {
        Message<byte[]> message = topic.receive(20, TimeUnit.SECONDS);
        assertThat(message).as("a message on " + topic.getTopic()).isNotNull();
        topic.acknowledge(message);
        return PulsarMessageFactory.createReader(message).toEvent();
    }

    /** The device's answer to a command: done, with a screenshot {@code n} for an observation. */
    private CommandCompleted done(CommandDispatched command, int n) {
        Instant now = Instant.now();
        Observation observation = command.action().type() == AgentAction.OBSERVE ? Observation.stored(screenshot(n), "com.android.settings") : null;
        return new CommandCompleted(command.commandId(), command.deviceId(), "done", observation, new CommandTimings(now, now, now.plusMillis(30)));
    }

    /** The model's answer to a request, as the inference function makes it: the reply's text, parsed by the action grammar. */
    private static InferenceCompleted model(InferenceRequested request, String text) throws Exception {
        AgentReply reply = ActionGrammar.parse(text);
        AgentStepResult result = new AgentStepResult(text, reply.thinking(), reply.answer(), reply.action(), null, 40, 300, 900, 12);
        return new InferenceCompleted(request.requestId(), request.model().split("@")[0], 1, null, null, "remote", 1, 0, 300, result);
    }

    /** {@code deviceId} registered in {@code tenant}'s registry and ONLINE in its liveness table. */
    private void onlinePhone(PulsarClient client, String tenant, String deviceId) throws Exception {
        var registry = PulsarStateTopic.registry(client, topics);
        var liveness = PulsarStateTopic.liveness(client, topics);
        registry.table(tenant).get(20, TimeUnit.SECONDS).put(deviceId, AgentFixtures.phone(tenant, deviceId)).get(20, TimeUnit.SECONDS);
        liveness.table(tenant).get(20, TimeUnit.SECONDS).put(deviceId, AgentFixtures.online(tenant, deviceId)).get(20, TimeUnit.SECONDS);
        registry.close();
        liveness.close();
    }

    private Consumer<byte[]> reader(PulsarClient client, EventFamily family, String name) throws Exception {
        return client.newConsumer(Schema.BYTES).topic(topics.events(tenant, family)).subscriptionName(name)
                .subscriptionInitialPosition(SubscriptionInitialPosition.Earliest).subscribe();
    }

    /** The model's reply as the inference function makes one of a text that is no action: the raw text and what is wrong. */
    private static InferenceCompleted unparseable(InferenceRequested request, String text) {
        String why;
        try {
            ActionGrammar.parse(text);
            throw new IllegalArgumentException("not a bad reply: " + text.substring(0, Math.min(80, text.length())));
        } catch (UnparseableReplyException e) {
            why = e.reason();
        }
        AgentStepResult result = new AgentStepResult(text, null, null, null, why, 40, 300, 900, 12);
        return new InferenceCompleted(request.requestId(), request.model().split("@")[0], 1, null, null, "remote", 1, 0, 300, result);
    }

    /** The next command, which must be of {@code type}, answered done (an observation with screenshot {@code n}). */
    private CommandDispatched answer(Consumer<byte[]> commands, AgentAction type, int n) throws Exception {
        CommandDispatched command = Events.payload(next(commands), CommandDispatched.class);
        assertThat(command.action().type()).as(command.commandId()).isEqualTo(type);
        post(EventType.COMMAND_COMPLETED, done(command, n));
        return command;
    }

    @Test
    @Timeout(90)
    void everyBadModelReplyOfTheCorpusIsAFailedStepWithItsRawTextAndTheTaskGoesOn() throws Exception {
        List<String> corpus = List.of(
                "",
                "The Settings app is open; next I would look for the Wi-Fi entry and turn it on.",
                "<think>the switch is there</think><answer>do(action=\"Tap\", elem",
                "do(action=\"Tap\", element=[1200,300])",
                "do(action=\"Click\", element=[500,500])",
                "<think>" + "so much to think about. ".repeat(1300) + "</think><answer>do(action=\"Tap\"");
        try (PulsarClient client = SharedPulsarBroker.endpoints().clientBuilder().build()) {
            onlinePhone(client, tenant, device);
            Consumer<byte[]> commands = reader(client, EventFamily.DEVICE_COMMAND, "it-device");
            Consumer<byte[]> inference = reader(client, EventFamily.INFERENCE, "it-model");
            post(EventType.TASK_REQUESTED, new TaskRequested("t-bad", "open Settings and turn on Wi-Fi", null, Requirements.ANY,
                    RoutingStrategy.LOAD_BALANCE, null, 40, null, false, "en"));

            int screen = 0;
            for (String bad : corpus) {
                answer(commands, AgentAction.OBSERVE, ++screen);
                post(EventType.INFERENCE_COMPLETED, unparseable(Events.payload(next(inference), InferenceRequested.class), bad));
                // one bad reply is a failed step: the next step observes and asks again
                answer(commands, AgentAction.OBSERVE, ++screen);
                post(EventType.INFERENCE_COMPLETED, model(Events.payload(next(inference), InferenceRequested.class), "do(action=\"Back\")"));
                answer(commands, AgentAction.BACK, 0);
            }
            // an action the device cannot do: declined by the device, a failed step too
            answer(commands, AgentAction.OBSERVE, ++screen);
            post(EventType.INFERENCE_COMPLETED, model(Events.payload(next(inference), InferenceRequested.class),
                    "do(action=\"Double Tap\", element=[500,500])"));
            CommandDispatched doubleTap = Events.payload(next(commands), CommandDispatched.class);
            assertThat(doubleTap.action().type()).isEqualTo(AgentAction.DOUBLE_TAP);
            post(EventType.COMMAND_DECLINED, new CommandDeclined(doubleTap.commandId(), device, DeclineReason.UNSUPPORTED_ACTION,
                    "this phone has no double tap", Instant.now()));
            answer(commands, AgentAction.OBSERVE, ++screen);
            post(EventType.INFERENCE_COMPLETED, model(Events.payload(next(inference), InferenceRequested.class), "finish(message=\"Wi-Fi is on\")"));

            var read = given().header("Authorization", "Bearer " + TestTokens.token(tenant)).get("/tasks/t-bad").then().statusCode(200)
                    .body("state", equalTo("COMPLETED"))
                    .body("outcome", equalTo("Wi-Fi is on"))
                    .extract().jsonPath();
            List<Map<String, Object>> timeline = read.getList("timeline");
            List<Map<String, Object>> failed = timeline.stream().filter(step -> step.get("unparseable") != null).toList();
            assertThat(failed).as("one failed step per bad reply").hasSize(corpus.size());
            for (int i = 0; i < corpus.size(); i++) {
                String raw = corpus.get(i);
                assertThat((String) failed.get(i).get("raw")).as("the raw text of bad reply %d", i)
                        .isEqualTo(raw.length() <= TaskSession.MAX_RAW ? raw : raw.substring(0, TaskSession.MAX_RAW));
                assertThat(failed.get(i).get("action")).isNull();
            }
            assertThat(timeline).anySatisfy(step -> {
                assertThat(step.get("commandId")).isEqualTo(doubleTap.commandId());
                assertThat(step.get("outcome")).isEqualTo("REJECTED");
            });
            commands.close();
            inference.close();
        }
    }

    @Test
    @Timeout(60)
    void aTaskNeverRunsOnAnotherTenantsDeviceAndAnotherTenantCannotReadIt() throws Exception {
        String other = "other-" + UUID.randomUUID().toString().substring(0, 8);
        try (PulsarClient client = SharedPulsarBroker.endpoints().clientBuilder().build()) {
            onlinePhone(client, other, "d-" + other); // the only phone online is the other tenant's
            Consumer<byte[]> commands = reader(client, EventFamily.DEVICE_COMMAND, "it-device");
            post(EventType.TASK_REQUESTED, new TaskRequested("t-mine", "open Settings", null, Requirements.ANY, RoutingStrategy.LOAD_BALANCE,
                    null, 10, null, false, "en"));

            String path = "/tasks/t-mine";
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (given().header("Authorization", "Bearer " + TestTokens.token(tenant)).get(path).statusCode() != 200 && System.nanoTime() < until) {
                Thread.sleep(100); // the request is decided as it is posted; its row is read back from the table
            }
            given().header("Authorization", "Bearer " + TestTokens.token(tenant)).get(path).then().statusCode(200)
                    .body("state", equalTo("FAILED"))
                    .body("failure", equalTo("NO_DEVICE"));
            assertThat(commands.receive(1, TimeUnit.SECONDS)).as("nothing was sent to a device of this tenant").isNull();
            try (Consumer<byte[]> theirs = client.newConsumer(Schema.BYTES).topic(topics.events(other, EventFamily.DEVICE_COMMAND))
                    .subscriptionName("it-other").subscriptionInitialPosition(SubscriptionInitialPosition.Earliest).subscribe()) {
                assertThat(theirs.receive(1, TimeUnit.SECONDS)).as("nor to the other tenant's device").isNull();
            }
            given().header("Authorization", "Bearer " + TestTokens.token(other)).get(path).then().statusCode(404);
            given().header("Authorization", "Bearer " + TestTokens.token(other)).get("/tenants/" + tenant + path).then().statusCode(403);
            given().header("Authorization", "Bearer " + TestTokens.token(other)).get("/tasks").then().statusCode(200)
                    .body("tasks.taskId", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("t-mine")));
            commands.close();
        }
    }

    @Test
    @Timeout(60)
    void aDeviceThatGoesOfflineMidTaskHandsTheTaskToAnotherWithItsHistoryAtOnce() throws Exception {
        String second = device + "-b";
        try (PulsarClient client = SharedPulsarBroker.endpoints().clientBuilder().build()) {
            onlinePhone(client, tenant, device);
            onlinePhone(client, tenant, second);
            Consumer<byte[]> commands = reader(client, EventFamily.DEVICE_COMMAND, "it-device");
            Consumer<byte[]> inference = reader(client, EventFamily.INFERENCE, "it-model");
            post(EventType.TASK_REQUESTED, new TaskRequested("t-lost", "open Settings and turn on Wi-Fi", null, Requirements.ANY,
                    RoutingStrategy.LOAD_BALANCE, null, 10, null, false, "en"));

            String first = answer(commands, AgentAction.OBSERVE, 1).deviceId();
            post(EventType.INFERENCE_COMPLETED, model(Events.payload(next(inference), InferenceRequested.class), "do(action=\"Tap\", element=[500,500])"));
            CommandDispatched tap = Events.payload(next(commands), CommandDispatched.class);
            assertThat(tap.deviceId()).isEqualTo(first);
            // the tap never comes back: the device went offline, as the heartbeat function announces it
            long lost = System.nanoTime();
            CloudEvent offline = Events.newEvent(EventType.DEVICE_STATUS_CHANGED, SOURCE, tenant, first, new DeviceStatusChanged(first, tenant,
                    LivenessStatus.ONLINE, LivenessStatus.OFFLINE, "no heartbeat for 3 s", 7, Instant.now(), Instant.now())).build();
            given().headers(HttpForms.binaryHeaders(offline)).body(HttpForms.binaryBody(offline)).post("/").then().statusCode(204);

            CommandDispatched observe = Events.payload(next(commands), CommandDispatched.class);
            long handedOverMs = (System.nanoTime() - lost) / 1_000_000;
            String other = first.equals(device) ? second : device;
            assertThat(observe.deviceId()).as("the step is taken again on the other phone").isEqualTo(other);
            assertThat(observe.action().type()).isEqualTo(AgentAction.OBSERVE);
            assertThat(handedOverMs).as("handed over in the decision that learnt of the loss").isLessThan(5_000);
            System.out.printf("t-lost: the step went to %s %d ms after %s was announced OFFLINE%n", other, handedOverMs, first);
            post(EventType.COMMAND_COMPLETED, new CommandCompleted(observe.commandId(), other, "done",
                    Observation.stored(screenshot(2), "com.android.settings"), new CommandTimings(Instant.now(), Instant.now(), Instant.now())));
            InferenceRequested again = Events.payload(next(inference), InferenceRequested.class);
            assertThat(again.agent().history()).as("the history came along").hasSize(1);
            post(EventType.INFERENCE_COMPLETED, model(again, "finish(message=\"done\")"));

            given().header("Authorization", "Bearer " + TestTokens.token(tenant)).get("/tasks/t-lost").then().statusCode(200)
                    .body("state", equalTo("COMPLETED"))
                    .body("deviceId", equalTo(other))
                    .body("handOvers", equalTo(1))
                    .body("lostDevices", contains(first));
            commands.close();
            inference.close();
        }
    }

    @Test
    @Timeout(60)
    void aTaskRunsOnARegisteredOnlineDeviceToCompletedAndARedeliveredOutcomeMakesNoSecondStep() throws Exception {
        try (PulsarClient client = SharedPulsarBroker.endpoints().clientBuilder().build()) {
            onlinePhone(client, tenant, device);
            Consumer<byte[]> commands = reader(client, EventFamily.DEVICE_COMMAND, "it-device");
            Consumer<byte[]> inference = reader(client, EventFamily.INFERENCE, "it-model");

            post(EventType.TASK_REQUESTED, task("t1", null));

            CloudEvent observeEvent = next(commands);
            assertThat(Events.partitionKey(observeEvent)).isEqualTo(device);
            CommandDispatched observe = Events.payload(observeEvent, CommandDispatched.class);
            assertThat(observe.action().type()).isEqualTo(AgentAction.OBSERVE);
            post(EventType.COMMAND_COMPLETED, done(observe, 1));

            CloudEvent askedEvent = next(inference);
            assertThat(Events.extension(askedEvent, Extensions.PLACEMENT)).isEqualTo("cloud");
            InferenceRequested asked = Events.payload(askedEvent, InferenceRequested.class);
            assertThat(asked.agent().instruction()).startsWith("open Settings");
            assertThat(asked.agent().screenshot()).isEqualTo(screenshot(1));
            post(EventType.INFERENCE_COMPLETED, model(asked, "do(action=\"Tap\", element=[500,500])"));

            CommandDispatched tap = Events.payload(next(commands), CommandDispatched.class);
            assertThat(tap.action().type()).isEqualTo(AgentAction.TAP);
            assertThat(tap.action().params()).containsEntry("element", "[500,500]");
            CommandCompleted tapped = done(tap, 0);
            post(EventType.COMMAND_COMPLETED, tapped);
            post(EventType.COMMAND_COMPLETED, tapped); // redelivered

            CommandDispatched observeAgain = Events.payload(next(commands), CommandDispatched.class);
            assertThat(observeAgain.commandId()).isEqualTo("task:t1:3:observe");
            assertThat(commands.receive(2, TimeUnit.SECONDS)).as("the redelivered outcome made no second step").isNull();
            post(EventType.COMMAND_COMPLETED, done(observeAgain, 2));
            InferenceRequested second = Events.payload(next(inference), InferenceRequested.class);
            assertThat(second.agent().history()).hasSize(1);
            post(EventType.INFERENCE_COMPLETED, model(second, "finish(message=\"done\")"));
            assertThat(inference.receive(1, TimeUnit.SECONDS)).as("no third inference").isNull();

            given().header("Authorization", "Bearer " + TestTokens.token(tenant)).get("/tasks/t1").then().statusCode(200)
                    .body("state", equalTo("COMPLETED"))
                    .body("outcome", equalTo("done"))
                    .body("ignored", equalTo(1))
                    .body("timeline.number", contains(1, 2))
                    .body("timeline[0].screenshot.uri", equalTo(screenshot(1).uri().toString()));
            var reader = PulsarStateTopic.tasks(client, topics);
            TaskRecord inTheLog = reader.table(tenant).get(20, TimeUnit.SECONDS).getLatest("t1").get(20, TimeUnit.SECONDS).orElseThrow();
            assertThat(inTheLog.state()).isEqualTo(TaskState.COMPLETED);
            assertThat(inTheLog.timeline()).hasSize(2);
            reader.close();
            var reservations = PulsarStateTopic.reservations(client, topics);
            assertThat(reservations.table(tenant).get(20, TimeUnit.SECONDS).getLatest(device).get(20, TimeUnit.SECONDS)).as("released").isEmpty();
            reservations.close();
            commands.close();
            inference.close();
        }
    }
}
