package io.autoglm.fleet.events.command;

/** Which of a command's two deadlines a {@link CommandDeadline} is. */
public enum DeadlineKind {
    /** The delivery TTL: a command still QUEUED or DELIVERED then is EXPIRED. */
    DELIVERY,
    /** The execution timeout: a command accepted (IN_PROGRESS) and without a result then is TIMED_OUT. */
    EXECUTION
}
