package io.autoglm.fleet.deviceagent.protocol;

import io.autoglm.fleet.deviceagent.backend.ActionOutcome;
import io.autoglm.fleet.deviceagent.backend.BackendException;
import io.autoglm.fleet.deviceagent.backend.DeviceBackend;
import io.autoglm.fleet.deviceagent.backend.DeviceFacts;
import io.autoglm.fleet.deviceagent.backend.DeviceVitals;
import io.autoglm.fleet.deviceagent.backend.Screen;
import io.autoglm.fleet.deviceagent.backend.ScreenSize;
import io.autoglm.fleet.deviceagent.backend.Screenshot;
import io.autoglm.fleet.events.command.CommandAction;
import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.events.device.Battery;
import io.autoglm.fleet.events.device.Platform;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A phone in memory for the protocol tests: records the actions it runs, answers Observe with a screen,
 * and can be told to fail an action or hold it until released (or interrupted).
 */
final class FakeBackend implements DeviceBackend {

    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 4, 0, 0, 0, 8};

    final List<CommandAction> executed = new CopyOnWriteArrayList<>();
    final List<CommandAction> interrupted = new CopyOnWriteArrayList<>();
    final Map<AgentAction, BackendException> failures = new ConcurrentHashMap<>();
    final Map<AgentAction, CountDownLatch> holds = new ConcurrentHashMap<>();
    final CountDownLatch started = new CountDownLatch(1);
    volatile Screenshot screenshot = new Screenshot.Captured(PNG, 4, 8);
    volatile int declarations;
    volatile BackendException vitalsFailure;

    @Override
    public Platform platform() {
        return Platform.ANDROID;
    }

    @Override
    public String serial() {
        return "emulator-5554";
    }

    @Override
    public DeviceFacts declaration() {
        declarations++;
        return new DeviceFacts(Platform.ANDROID, "sdk_gphone64_x86_64", "Android 14", new ScreenSize(1080, 2400), 4, 2048,
                new Battery(1.0, true), Map.of("serial", "EMULATOR34X1X", "manufacturer", "Google", "model", "sdk_gphone64_x86_64"));
    }

    @Override
    public ScreenSize screenSize() {
        return new ScreenSize(1080, 2400);
    }

    @Override
    public Set<AgentAction> supportedActions() {
        return EnumSet.complementOf(EnumSet.of(AgentAction.TAKE_OVER));
    }

    @Override
    public ActionOutcome execute(CommandAction action) throws BackendException, InterruptedException {
        executed.add(action);
        started.countDown();
        CountDownLatch hold = holds.get(action.type());
        if (hold != null) {
            try {
                hold.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted.add(action);
                throw e;
            }
        }
        BackendException failure = failures.get(action.type());
        if (failure != null) {
            throw failure;
        }
        if (action.type() == AgentAction.OBSERVE) {
            return new ActionOutcome("observed", new Screen(screenshot, "微信"));
        }
        return ActionOutcome.done(action.type().wireName() + " done");
    }

    @Override
    public Screenshot screenshot() {
        return screenshot;
    }

    @Override
    public String currentApp() {
        return "微信";
    }

    @Override
    public DeviceVitals vitals() throws BackendException {
        if (vitalsFailure != null) {
            throw vitalsFailure;
        }
        return new DeviceVitals(0.25, 0.5, new Battery(0.8, false));
    }
}
