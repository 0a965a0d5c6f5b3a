package io.autoglm.fleet.events.command;

/** Why a device could not carry out a command it had accepted; the message says the details. */
public enum CommandFailureReason {
    /** The action ran and failed (the device tool answered an error). */
    EXECUTION_ERROR,
    /** A Launch named an app that is not installed. */
    APP_NOT_INSTALLED,
    /** The agent lost the phone (ADB/HDC connection gone, device unauthorised). */
    DEVICE_UNREACHABLE,
    /** The arguments passed the contract but make no sense on this device (e.g. off-screen after conversion). */
    INVALID_ARGUMENTS,
    /** The agent was stopped while the action ran. */
    INTERRUPTED
}
