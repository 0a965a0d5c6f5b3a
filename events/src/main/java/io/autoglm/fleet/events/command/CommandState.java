package io.autoglm.fleet.events.command;

/**
 * Where a command is in its life; each command has exactly one, in the command state table. The device
 * moves it through DELIVERED / IN_PROGRESS to SUCCEEDED, FAILED or REJECTED; the service ends it as
 * TIMED_OUT (accepted, no result within its execution timeout), EXPIRED (not delivered within its TTL)
 * or CANCELED. Anchors: AWS IoT Jobs' job execution states, Hono's delivery-failure notifications.
 */
public enum CommandState {
    QUEUED,
    DELIVERED,
    IN_PROGRESS,
    SUCCEEDED,
    FAILED,
    REJECTED,
    TIMED_OUT,
    EXPIRED,
    CANCELED;

    /** Whether nothing can move the command any more. */
    public boolean terminal() {
        return ordinal() >= SUCCEEDED.ordinal();
    }
}
