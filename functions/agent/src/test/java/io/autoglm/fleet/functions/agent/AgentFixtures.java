package io.autoglm.fleet.functions.agent;

import io.autoglm.fleet.events.agent.ActionGrammar;
import io.autoglm.fleet.events.agent.ScreenshotRef;
import io.autoglm.fleet.events.agent.StepAction;
import io.autoglm.fleet.events.command.CommandTimings;
import io.autoglm.fleet.events.command.Requirements;
import io.autoglm.fleet.events.command.RoutingStrategy;
import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.events.device.DeviceCapabilities;
import io.autoglm.fleet.events.device.DeviceRecord;
import io.autoglm.fleet.events.device.DeviceStatusChanged;
import io.autoglm.fleet.events.device.LivenessStatus;
import io.autoglm.fleet.events.fixtures.SamplePayloads;
import io.autoglm.fleet.events.inference.AgentStepResult;
import io.autoglm.fleet.events.task.TaskRequested;
import io.autoglm.fleet.state.testing.InMemoryFleetState;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Devices, requests and the model's replies the agent function's tests share. */
final class AgentFixtures {

    private AgentFixtures() {
    }

    /** A phone that can observe (the sample phone's actions plus Observe), registered and ONLINE in {@code tenant}. */
    static void onlinePhone(InMemoryFleetState state, String tenant, String deviceId) {
        state.registry.tableOf(tenant).put(deviceId, phone(tenant, deviceId));
        state.liveness.tableOf(tenant).put(deviceId, online(tenant, deviceId));
    }

    /** The registry record of a phone that can observe: the sample phone's actions plus Observe. */
    static DeviceRecord phone(String tenant, String deviceId) {
        DeviceRecord sample = SamplePayloads.record();
        DeviceCapabilities c = sample.capabilities();
        List<AgentAction> actions = new ArrayList<>(c.supportedActions());
        actions.add(AgentAction.OBSERVE);
        return new DeviceRecord(deviceId, tenant, 1, new DeviceCapabilities(c.platform(), c.tier(), c.hardware(), c.network(), c.location(),
                c.labels(), c.agentVersion(), actions, c.models()), sample.fingerprintDigest(), sample.registeredAt(), sample.updatedAt());
    }

    /** The device's liveness: ONLINE. */
    static DeviceStatusChanged online(String tenant, String deviceId) {
        return new DeviceStatusChanged(deviceId, tenant, null, LivenessStatus.ONLINE, "test", 1, Instant.EPOCH, Instant.EPOCH);
    }

    static TaskRequested task(String taskId, String pinned) {
        return new TaskRequested(taskId, "open Settings and turn on Wi-Fi", pinned, Requirements.ANY, RoutingStrategy.LOAD_BALANCE, null, 10, null,
                true, "en");
    }

    static ScreenshotRef screenshot(int n) {
        return new ScreenshotRef(URI.create("http://127.0.0.1:9000/blobs/acme/screens/" + n + ".png"), "%064x".formatted(n), 1080, 2400);
    }

    static CommandTimings ran(Instant start, long ms) {
        return new CommandTimings(start, start, start.plusMillis(ms));
    }

    static AgentStepResult reply(String thinking, StepAction action) {
        return new AgentStepResult(ActionGrammar.formatTurn(thinking, action), thinking, ActionGrammar.format(action), action, null, 50, 400, 900, 20);
    }
}
