package io.autoglm.fleet.deviceagent.backend;

import io.autoglm.fleet.events.command.CommandAction;
import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.events.device.Platform;

import java.util.Set;

/**
 * One phone the agent drives: what it is, what it can do, and doing it. The protocol code talks only to
 * this interface; {@link AdbBackend} (Android) and {@link HdcBackend} (HarmonyOS) reach a real device
 * through its debug bridge. One action runs at a time; {@link #vitals} may be read while one runs.
 */
public interface DeviceBackend {

    Platform platform();

    /** The serial the bridge knows the device by ({@code adb -s}, {@code hdc -t}). */
    String serial();

    /** Reads the device's declaration: model, OS version, screen, cores, memory, battery, identifiers. */
    DeviceFacts declaration() throws BackendException, InterruptedException;

    /** The screen size relative points are converted against (read once, then remembered). */
    ScreenSize screenSize() throws BackendException, InterruptedException;

    /** The actions {@link #execute} does; anything else fails with {@link UnsupportedActionException}. */
    Set<AgentAction> supportedActions();

    /**
     * Executes one Open-AutoGLM action, waiting after it as Open-AutoGLM does so the screen settles;
     * {@code Observe} takes a screenshot and reads the foreground app ({@link ActionOutcome#screen()}).
     *
     * @throws InvalidActionException     the arguments do not make the action (missing element, point off screen)
     * @throws UnknownAppException        {@code Launch} of an app the backend cannot map to a package
     * @throws UnsupportedActionException the backend does not do this action
     * @throws CommandFailedException     a device tool failed; the message names the command and its stderr
     * @throws DeviceUnreachableException the tool could not be run or did not answer in time
     */
    ActionOutcome execute(CommandAction action) throws BackendException, InterruptedException;

    /** A PNG of the screen, or {@link Screenshot.Secure} when the screen is secure. */
    Screenshot screenshot() throws BackendException, InterruptedException;

    /** The app in the foreground, by the name the agent model uses; "System Home" when none is known. */
    String currentApp() throws BackendException, InterruptedException;

    /** Load and battery for a heartbeat. */
    DeviceVitals vitals() throws BackendException, InterruptedException;
}
