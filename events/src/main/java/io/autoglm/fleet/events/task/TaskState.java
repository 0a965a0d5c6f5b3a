package io.autoglm.fleet.events.task;

/**
 * Where a task is in its life; each task has exactly one, in the task state table. PLACING until a device is reserved for
 * it (again after a hand-over), RUNNING its steps ({@link TaskPhase} says which part), paused for a person, and ended
 * COMPLETED (the model said finish), FAILED (with a {@link TaskFailureReason}) or CANCELED.
 */
public enum TaskState {
    PLACING,
    RUNNING,
    AWAITING_CONFIRMATION,
    AWAITING_TAKEOVER,
    COMPLETED,
    FAILED,
    CANCELED;

    /** Whether nothing can move the task any more. */
    public boolean ended() {
        return ordinal() >= COMPLETED.ordinal();
    }
}
