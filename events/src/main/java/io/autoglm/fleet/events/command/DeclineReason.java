package io.autoglm.fleet.events.command;

/** Why a device refused a command without running it (state REJECTED). */
public enum DeclineReason {
    /** The device cannot perform this action (not in its declared actions, or not on its platform). */
    UNSUPPORTED_ACTION,
    /** The device is running another command and its queue is full. */
    BUSY,
    /** The arguments are missing or malformed for this action. */
    INVALID_ARGUMENTS,
    /** The agent is shutting down and takes no more work. */
    SHUTTING_DOWN
}
