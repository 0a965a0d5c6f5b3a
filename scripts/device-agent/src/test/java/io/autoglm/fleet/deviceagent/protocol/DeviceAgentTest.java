package io.autoglm.fleet.deviceagent.protocol;

import io.autoglm.fleet.deviceagent.backend.CommandFailedException;
import io.autoglm.fleet.deviceagent.backend.CommandResult;
import io.autoglm.fleet.deviceagent.backend.Screenshot;
import io.autoglm.fleet.deviceagent.backend.UnknownAppException;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.events.Rejection;
import io.autoglm.fleet.events.command.CommandAccepted;
import io.autoglm.fleet.events.command.CommandAction;
import io.autoglm.fleet.events.command.CommandCompleted;
import io.autoglm.fleet.events.command.CommandDeclined;
import io.autoglm.fleet.events.command.CommandDispatched;
import io.autoglm.fleet.events.command.CommandEnded;
import io.autoglm.fleet.events.command.CommandFailed;
import io.autoglm.fleet.events.command.CommandFailureReason;
import io.autoglm.fleet.events.command.CommandState;
import io.autoglm.fleet.events.command.DeclineReason;
import io.autoglm.fleet.events.command.Placement;
import io.autoglm.fleet.events.command.RoutingStrategy;
import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.events.device.Battery;
import io.autoglm.fleet.events.device.DeviceCapabilities;
import io.autoglm.fleet.events.device.DeviceDeclaration;
import io.autoglm.fleet.events.device.DeviceHeartbeat;
import io.autoglm.fleet.events.device.DeviceRecord;
import io.autoglm.fleet.events.device.DeviceRegistered;
import io.autoglm.fleet.events.device.Location;
import io.autoglm.fleet.events.device.NetworkType;
import io.autoglm.fleet.events.device.Platform;
import io.autoglm.fleet.events.device.RegistrationOutcome;
import io.autoglm.fleet.events.session.DeviceCredential;
import io.autoglm.fleet.events.session.GatewayDraining;
import io.cloudevents.CloudEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeviceAgentTest {

    private static final URI GATEWAY = URI.create("ws://127.0.0.1:8090/devices/v1");
    private static final String ENROLMENT = jwt("{\"iss\":\"https://autoglm.io/fleet\",\"tenant\":\"acme\"}");
    private static final String DEVICE_ID = "dev-acme-7f3a";
    private static final String CREDENTIAL = jwt("{\"tenant\":\"acme\",\"sub\":\"" + DEVICE_ID + "\"}");

    @TempDir
    Path stateDir;

    final FakeGateway gateway = new FakeGateway();
    final FakeBackend phone = new FakeBackend();
    DeviceAgent agent;

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
        phone.holds.values().forEach(CountDownLatch::countDown);
    }

    private static String jwt(String claims) {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        return url.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".c2lnbmF0dXJl";
    }

    private AgentSettings settings(Duration heartbeat, int waiting) {
        return new AgentSettings(GATEWAY, ENROLMENT, null, new Location("eu-west-1", null), NetworkType.WIFI, Map.of("rack", "r7"),
                heartbeat, waiting, 1024, Duration.ofSeconds(30), Duration.ofMillis(10), Duration.ofMillis(40));
    }

    private DeviceAgent start(AgentSettings settings) {
        agent = new DeviceAgent(settings, phone, gateway, new StateDirectory(stateDir), Clock.systemUTC(), bound -> 0);
        agent.start();
        return agent;
    }

    private DeviceAgent start() {
        return start(settings(Duration.ofHours(1), 2));
    }

    /** Registers through the fake gateway; returns the socket the agent opened with its credential. */
    private FakeGateway.Socket registered() throws Exception {
        FakeGateway.Socket enrolment = gateway.nextSocket();
        CloudEvent request = enrolment.next(EventType.DEVICE_REGISTRATION_REQUESTED);
        DeviceDeclaration declaration = Events.payload(request, DeviceDeclaration.class);
        enrolment.push(EventType.DEVICE_REGISTERED, new DeviceRegistered(request.getId(), RegistrationOutcome.CREATED,
                new DeviceRecord(DEVICE_ID, "acme", 1, declaration.capabilities(), "ab".repeat(32), Instant.now(), Instant.now())));
        enrolment.push(EventType.DEVICE_CREDENTIAL_ISSUED, new DeviceCredential(DEVICE_ID, CREDENTIAL, Instant.now().plusSeconds(3600)));
        FakeGateway.Socket device = gateway.nextSocket();
        assertThat(enrolment.closedWith).isEqualTo(1000);
        return device;
    }

    private static CommandDispatched command(String id, AgentAction action, Map<String, String> params) {
        return command(id, action, params, null);
    }

    private static CommandDispatched command(String id, AgentAction action, Map<String, String> params, Long timeoutMs) {
        Instant now = Instant.now();
        return new CommandDispatched(id, null, DEVICE_ID, "acme", Placement.DEVICE, new CommandAction(action, params), RoutingStrategy.LOAD_BALANCE,
                "test", now, now.plusSeconds(60), timeoutMs);
    }

    @Test
    void registersWithTheEnrolmentTokenThenReconnectsWithTheIssuedCredential() throws Exception {
        start();

        FakeGateway.Socket enrolment = gateway.nextSocket();
        assertThat(enrolment.uri).isEqualTo(GATEWAY);
        assertThat(enrolment.bearer).isEqualTo(ENROLMENT);
        CloudEvent request = enrolment.next();
        assertThat(request.getType()).isEqualTo(EventType.DEVICE_REGISTRATION_REQUESTED.type());
        assertThat(Events.tenant(request)).isEqualTo("acme");
        DeviceDeclaration declaration = Events.payload(request, DeviceDeclaration.class);
        DeviceCapabilities capabilities = declaration.capabilities();
        assertThat(declaration.tenant()).isEqualTo("acme");
        assertThat(declaration.fingerprint()).containsOnly(Map.entry("serial", "EMULATOR34X1X"), Map.entry("manufacturer", "Google"),
                Map.entry("model", "sdk_gphone64_x86_64"), Map.entry("platform", "ANDROID"));
        assertThat(capabilities.platform()).isEqualTo(Platform.ANDROID);
        assertThat(capabilities.hardware().cpuCores()).isEqualTo(4);
        assertThat(capabilities.hardware().memoryMb()).isEqualTo(2048);
        assertThat(capabilities.location()).isEqualTo(new Location("eu-west-1", null));
        assertThat(capabilities.labels()).containsEntry("model", "sdk_gphone64_x86_64").containsEntry("os", "Android 14")
                .containsEntry("screen", "1080x2400").containsEntry("bridge", "adb").containsEntry("rack", "r7");
        assertThat(capabilities.supportedActions()).contains(AgentAction.TAP, AgentAction.OBSERVE).doesNotContain(AgentAction.TAKE_OVER);
        assertThat(capabilities.agentVersion()).isEqualTo(Declarations.AGENT_VERSION);

        enrolment.push(EventType.DEVICE_REGISTERED, new DeviceRegistered(request.getId(), RegistrationOutcome.CREATED,
                new DeviceRecord(DEVICE_ID, "acme", 1, capabilities, "ab".repeat(32), Instant.now(), Instant.now())));
        enrolment.push(EventType.DEVICE_CREDENTIAL_ISSUED, new DeviceCredential(DEVICE_ID, CREDENTIAL, Instant.parse("2027-01-01T00:00:00Z")));

        FakeGateway.Socket device = gateway.nextSocket();
        assertThat(device.bearer).isEqualTo(CREDENTIAL);
        assertThat(enrolment.closedWith).isEqualTo(1000);
        assertThat(new StateDirectory(stateDir).credential())
                .contains(new StoredCredential("acme", DEVICE_ID, CREDENTIAL, Instant.parse("2027-01-01T00:00:00Z")));
        assertThat(agent.deviceId()).isEqualTo(DEVICE_ID);

        CloudEvent beat = device.next();
        assertThat(beat.getType()).isEqualTo(EventType.DEVICE_HEARTBEAT.type());
        assertThat(Events.partitionKey(beat)).isEqualTo(DEVICE_ID);
        DeviceHeartbeat heartbeat = Events.payload(beat, DeviceHeartbeat.class);
        assertThat(heartbeat.deviceId()).isEqualTo(DEVICE_ID);
        assertThat(heartbeat.seq()).isEqualTo(1);
        assertThat(heartbeat.load().cpu()).isEqualTo(0.25);
        assertThat(heartbeat.load().memory()).isEqualTo(0.5);
        assertThat(heartbeat.load().queueDepth()).isZero();
        assertThat(heartbeat.battery()).isEqualTo(new Battery(0.8, false));
    }

    @Test
    void aRestartedAgentReconnectsAsTheSameDeviceAndHeartbeatsOnFromItsLastNumber() throws Exception {
        start(settings(Duration.ofMillis(30), 2));
        FakeGateway.Socket first = registered();
        long before = 0;
        for (int i = 0; i < 3; i++) {
            before = first.next(EventType.DEVICE_HEARTBEAT, DeviceHeartbeat.class).seq();
        }
        agent.close();
        long last = new StateDirectory(stateDir).heartbeatSeq();
        assertThat(last).isGreaterThanOrEqualTo(before);

        start(settings(Duration.ofHours(1), 2));

        FakeGateway.Socket again = gateway.nextSocket();
        assertThat(again.bearer).isEqualTo(CREDENTIAL);
        DeviceHeartbeat heartbeat = again.next(EventType.DEVICE_HEARTBEAT, DeviceHeartbeat.class);
        assertThat(heartbeat.seq()).isEqualTo(last + 1);
        assertThat(phone.declarations).isEqualTo(1);
    }

    @Test
    void aCommandIsAcceptedExecutedAndCompleted() throws Exception {
        start();
        FakeGateway.Socket device = registered();

        device.push(EventType.COMMAND_DISPATCHED, command("cmd-1", AgentAction.TAP, Map.of("element", "[500,300]")));

        CommandAccepted accepted = device.next(EventType.COMMAND_ACCEPTED, CommandAccepted.class);
        assertThat(accepted.commandId()).isEqualTo("cmd-1");
        assertThat(accepted.deviceId()).isEqualTo(DEVICE_ID);
        CommandCompleted completed = device.next(EventType.COMMAND_COMPLETED, CommandCompleted.class);
        assertThat(completed.commandId()).isEqualTo("cmd-1");
        assertThat(completed.output()).isEqualTo("Tap done");
        assertThat(completed.observation()).isNull();
        assertThat(completed.timings().receivedAt()).isNotNull();
        assertThat(completed.timings().finishedAt()).isAfterOrEqualTo(completed.timings().startedAt());
        assertThat(phone.executed).containsExactly(new CommandAction(AgentAction.TAP, Map.of("element", "[500,300]")));
    }

    @Test
    void observeCompletesWithTheScreenshotInlineOrSensitive() throws Exception {
        start();
        FakeGateway.Socket device = registered();

        device.push(EventType.COMMAND_DISPATCHED, command("obs-1", AgentAction.OBSERVE, Map.of()));
        device.next(EventType.COMMAND_ACCEPTED);
        CommandCompleted seen = device.next(EventType.COMMAND_COMPLETED, CommandCompleted.class);
        assertThat(seen.observation().png()).isEqualTo(Base64.getEncoder().encodeToString(FakeBackend.PNG));
        assertThat(seen.observation().width()).isEqualTo(4);
        assertThat(seen.observation().height()).isEqualTo(8);
        assertThat(seen.observation().currentApp()).isEqualTo("微信");
        assertThat(seen.observation().sensitive()).isFalse();

        phone.screenshot = new Screenshot.Secure("screencap refused: Status: -1");
        device.push(EventType.COMMAND_DISPATCHED, command("obs-2", AgentAction.OBSERVE, Map.of()));
        device.next(EventType.COMMAND_ACCEPTED);
        CommandCompleted secure = device.next(EventType.COMMAND_COMPLETED, CommandCompleted.class);
        assertThat(secure.observation().sensitive()).isTrue();
        assertThat(secure.observation().png()).isNull();
        assertThat(secure.observation().currentApp()).isEqualTo("微信");
    }

    @Test
    void aCommandDeliveredAgainRunsOnceAndIsAnsweredAsBefore() throws Exception {
        start();
        FakeGateway.Socket device = registered();
        CommandDispatched back = command("cmd-dup", AgentAction.BACK, Map.of());

        device.push(EventType.COMMAND_DISPATCHED, back);
        device.next(EventType.COMMAND_ACCEPTED);
        CloudEvent completed = device.next(EventType.COMMAND_COMPLETED);
        device.push(EventType.COMMAND_DISPATCHED, back);

        CloudEvent repeated = device.next(EventType.COMMAND_COMPLETED);
        assertThat(repeated.getId()).isEqualTo(completed.getId());
        assertThat(phone.executed).hasSize(1);

        agent.close();
        start();
        FakeGateway.Socket again = gateway.nextSocket();
        again.push(EventType.COMMAND_DISPATCHED, back);
        again.push(EventType.COMMAND_DISPATCHED, command("cmd-next", AgentAction.HOME, Map.of()));
        assertThat(again.next(EventType.COMMAND_ACCEPTED, CommandAccepted.class).commandId()).isEqualTo("cmd-next");
        assertThat(again.next(EventType.COMMAND_COMPLETED, CommandCompleted.class).commandId()).isEqualTo("cmd-next");
        assertThat(phone.executed).extracting(CommandAction::type).containsExactly(AgentAction.BACK, AgentAction.HOME);
    }

    @Test
    void anActionTheDeviceDoesNotDoIsDeclined() throws Exception {
        start();
        FakeGateway.Socket device = registered();

        device.push(EventType.COMMAND_DISPATCHED, command("cmd-takeover", AgentAction.TAKE_OVER, Map.of("message", "log in")));

        CommandDeclined declined = device.next(EventType.COMMAND_DECLINED, CommandDeclined.class);
        assertThat(declined.reason()).isEqualTo(DeclineReason.UNSUPPORTED_ACTION);
        assertThat(declined.message()).startsWith("Take_over is not supported on this ANDROID device");
        assertThat(phone.executed).isEmpty();
    }

    @Test
    void oneCommandRunsAFewWaitAndMoreAreDeclinedAsBusy() throws Exception {
        start(settings(Duration.ofHours(1), 1));
        FakeGateway.Socket device = registered();
        CountDownLatch release = new CountDownLatch(1);
        phone.holds.put(AgentAction.WAIT, release);

        device.push(EventType.COMMAND_DISPATCHED, command("slow", AgentAction.WAIT, Map.of()));
        device.next(EventType.COMMAND_ACCEPTED);
        assertThat(phone.started.await(5, TimeUnit.SECONDS)).isTrue();
        device.push(EventType.COMMAND_DISPATCHED, command("queued", AgentAction.HOME, Map.of()));
        assertThat(device.next(EventType.COMMAND_ACCEPTED, CommandAccepted.class).commandId()).isEqualTo("queued");
        device.push(EventType.COMMAND_DISPATCHED, command("refused", AgentAction.BACK, Map.of()));

        CommandDeclined busy = device.next(EventType.COMMAND_DECLINED, CommandDeclined.class);
        assertThat(busy.commandId()).isEqualTo("refused");
        assertThat(busy.reason()).isEqualTo(DeclineReason.BUSY);

        release.countDown();
        assertThat(device.next(EventType.COMMAND_COMPLETED, CommandCompleted.class).commandId()).isEqualTo("slow");
        assertThat(device.next(EventType.COMMAND_COMPLETED, CommandCompleted.class).commandId()).isEqualTo("queued");
        assertThat(phone.executed).extracting(CommandAction::type).containsExactly(AgentAction.WAIT, AgentAction.HOME);
    }

    @Test
    void aCanceledCommandIsDroppedWhetherItWaitsOrRuns() throws Exception {
        start();
        FakeGateway.Socket device = registered();
        phone.holds.put(AgentAction.WAIT, new CountDownLatch(1));

        device.push(EventType.COMMAND_DISPATCHED, command("running", AgentAction.WAIT, Map.of()));
        device.next(EventType.COMMAND_ACCEPTED);
        assertThat(phone.started.await(5, TimeUnit.SECONDS)).isTrue();
        device.push(EventType.COMMAND_DISPATCHED, command("waiting", AgentAction.HOME, Map.of()));
        device.next(EventType.COMMAND_ACCEPTED);

        device.push(EventType.COMMAND_CANCELED, new CommandEnded("waiting", DEVICE_ID, CommandState.CANCELED, "operator", Instant.now()));
        device.push(EventType.COMMAND_CANCELED, new CommandEnded("running", DEVICE_ID, CommandState.CANCELED, "operator", Instant.now()));

        assertThat(device.othersWithin(Duration.ofMillis(300))).isEmpty();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (phone.interrupted.isEmpty() && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(phone.interrupted).extracting(CommandAction::type).containsExactly(AgentAction.WAIT);
        assertThat(phone.executed).extracting(CommandAction::type).containsExactly(AgentAction.WAIT);

        device.push(EventType.COMMAND_DISPATCHED, command("waiting", AgentAction.HOME, Map.of()));
        device.push(EventType.COMMAND_DISPATCHED, command("after", AgentAction.BACK, Map.of()));
        assertThat(device.next(EventType.COMMAND_ACCEPTED, CommandAccepted.class).commandId()).isEqualTo("after");
    }

    @Test
    void failuresAreReportedWithTheContractsReasons() throws Exception {
        start();
        FakeGateway.Socket device = registered();
        phone.failures.put(AgentAction.TAP, new CommandFailedException(
                new CommandResult(List.of("adb", "-s", "emulator-5554", "shell", "input", "tap", "540", "720"), 1, new byte[0], "error: device offline"),
                "failed"));
        phone.failures.put(AgentAction.LAUNCH, new UnknownAppException("NoSuchApp"));

        device.push(EventType.COMMAND_DISPATCHED, command("tap", AgentAction.TAP, Map.of("element", "[500,300]")));
        device.next(EventType.COMMAND_ACCEPTED);
        CommandFailed tap = device.next(EventType.COMMAND_FAILED, CommandFailed.class);
        assertThat(tap.reason()).isEqualTo(CommandFailureReason.EXECUTION_ERROR);
        assertThat(tap.message()).isEqualTo("'adb -s emulator-5554 shell input tap 540 720' failed (exit 1): error: device offline");

        device.push(EventType.COMMAND_DISPATCHED, command("launch", AgentAction.LAUNCH, Map.of("app", "NoSuchApp")));
        device.next(EventType.COMMAND_ACCEPTED);
        CommandFailed launch = device.next(EventType.COMMAND_FAILED, CommandFailed.class);
        assertThat(launch.reason()).isEqualTo(CommandFailureReason.APP_NOT_INSTALLED);
        assertThat(launch.message()).isEqualTo("App not found: NoSuchApp");
    }

    @Test
    void aCommandThatRunsPastItsTimeoutIsStoppedAndFails() throws Exception {
        start();
        FakeGateway.Socket device = registered();
        phone.holds.put(AgentAction.WAIT, new CountDownLatch(1));

        device.push(EventType.COMMAND_DISPATCHED, command("stuck", AgentAction.WAIT, Map.of(), 100L));
        device.next(EventType.COMMAND_ACCEPTED);

        CommandFailed failed = device.next(EventType.COMMAND_FAILED, CommandFailed.class);
        assertThat(failed.reason()).isEqualTo(CommandFailureReason.INTERRUPTED);
        assertThat(failed.message()).isEqualTo("ran past its timeout of 100 ms and was stopped");
        assertThat(phone.interrupted).hasSize(1);
    }

    @Test
    void aDrainingGatewayIsLeftAndAnotherConnectionOpened() throws Exception {
        start();
        FakeGateway.Socket device = registered();
        device.next(EventType.DEVICE_HEARTBEAT);

        device.push(EventType.GATEWAY_DRAINING, new GatewayDraining(200, "rolling update"));

        FakeGateway.Socket next = gateway.nextSocket();
        assertThat(device.closedWith).isEqualTo(1000);
        assertThat(next.bearer).isEqualTo(CREDENTIAL);
        assertThat(next.next(EventType.DEVICE_HEARTBEAT, DeviceHeartbeat.class).seq()).isEqualTo(2);
    }

    @Test
    void answersMadeWhileTheSocketIsDownAreSentOnceItIsBack() throws Exception {
        start();
        FakeGateway.Socket device = registered();
        CountDownLatch release = new CountDownLatch(1);
        phone.holds.put(AgentAction.WAIT, release);
        device.push(EventType.COMMAND_DISPATCHED, command("across", AgentAction.WAIT, Map.of()));
        device.next(EventType.COMMAND_ACCEPTED);
        assertThat(phone.started.await(5, TimeUnit.SECONDS)).isTrue();

        gateway.refuseNext(new IllegalStateException("connection refused"), new IllegalStateException("connection refused"));
        device.closeFromGateway(1001, "going away");
        release.countDown();

        FakeGateway.Socket next = gateway.nextSocket();
        assertThat(next.next(EventType.COMMAND_COMPLETED, CommandCompleted.class).commandId()).isEqualTo("across");
        assertThat(gateway.sockets).hasSize(5);
    }

    @Test
    void aRefusedCredentialIsForgottenAndTheDeviceRegistersAgain() throws Exception {
        start();
        registered();
        agent.close();

        gateway.refuseNext(new HandshakeRefusedException(401, "{\"title\":\"the device credential was refused (expired)\"}"));
        start();

        FakeGateway.Socket enrolment = gateway.nextSocket();
        assertThat(enrolment.bearer).isEqualTo(ENROLMENT);
        assertThat(enrolment.next().getType()).isEqualTo(EventType.DEVICE_REGISTRATION_REQUESTED.type());
        assertThat(new StateDirectory(stateDir).credential()).isEmpty();
    }

    @Test
    void aRejectedRegistrationStopsTheAgent() throws Exception {
        agent = new DeviceAgent(settings(Duration.ofHours(1), 2), phone, gateway, new StateDirectory(stateDir), Clock.systemUTC(), bound -> 0);
        CompletableFuture<Void> stopped = agent.start();
        FakeGateway.Socket enrolment = gateway.nextSocket();
        CloudEvent request = enrolment.next();

        enrolment.push(EventType.DEVICE_REGISTRATION_REJECTED, new Rejection(request.getId(), EventType.DEVICE_REGISTRATION_REQUESTED.type(), null,
                List.of(new Problem("data.capabilities.location.region", "unknown region"))));

        assertThatThrownBy(() -> stopped.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(AgentStoppedException.class)
                .hasMessageContaining("the registry refused this device").hasMessageContaining("unknown region");
    }

    @Test
    void aRefusedEnrolmentTokenStopsTheAgent() {
        gateway.refuseNext(new HandshakeRefusedException(401, "bad token"));
        agent = new DeviceAgent(settings(Duration.ofHours(1), 2), phone, gateway, new StateDirectory(stateDir), Clock.systemUTC(), bound -> 0);

        assertThatThrownBy(() -> agent.start().get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(AgentStoppedException.class)
                .hasMessageContaining("the gateway refused the enrolment token: the gateway refused the connection: HTTP 401 bad token");
    }

    @Test
    void aSocketReplacedByAnotherConnectionOfTheDeviceStopsTheAgent() throws Exception {
        agent = new DeviceAgent(settings(Duration.ofHours(1), 2), phone, gateway, new StateDirectory(stateDir), Clock.systemUTC(), bound -> 0);
        CompletableFuture<Void> stopped = agent.start();
        FakeGateway.Socket device = registered();

        device.closeFromGateway(4001, "replaced by a newer connection of this device");

        assertThatThrownBy(() -> stopped.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(AgentStoppedException.class)
                .hasMessageContaining("is a second agent running for this phone?");
        assertThat(gateway.noSocketWithin(Duration.ofMillis(200))).isTrue();
    }

    @Test
    void aSocketClosedOtherwiseIsReopenedAfterTheBackoff() throws Exception {
        start();
        FakeGateway.Socket device = registered();

        device.closeFromGateway(4000, "outbound queue full");

        FakeGateway.Socket next = gateway.nextSocket();
        assertThat(next.bearer).isEqualTo(CREDENTIAL);
        next.next(EventType.DEVICE_HEARTBEAT);
    }

    @Test
    void noHeartbeatWhileThePhoneCannotBeRead() throws Exception {
        phone.vitalsFailure = new io.autoglm.fleet.deviceagent.backend.DeviceUnreachableException(List.of("adb", "shell", "cat", "/proc/meminfo"),
                "no answer within 10000 ms", null);
        start(settings(Duration.ofMillis(20), 2));
        FakeGateway.Socket device = registered();

        assertThat(device.othersWithin(Duration.ofMillis(200))).isEmpty();
        assertThat(device.all).isEmpty();
        phone.vitalsFailure = null;
        assertThat(device.next().getType()).isEqualTo(EventType.DEVICE_HEARTBEAT.type());
    }
}
