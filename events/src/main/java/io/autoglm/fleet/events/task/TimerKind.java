package io.autoglm.fleet.events.task;

/** What a {@link TaskTimer} is for. */
public enum TimerKind {
    /** A {@code Wait} action: the step goes on when it comes back, no thread waits. */
    WAIT,
    /** The placement, command or inference a step waits on has not answered in time. */
    STEP_TIMEOUT,
    /** Nobody answered a sensitive action's confirmation in time. */
    CONFIRMATION_TIMEOUT,
    /** Nobody said a take-over was done in time. */
    TAKEOVER_TIMEOUT,
    /** The task's deadline. */
    TASK_DEADLINE
}
