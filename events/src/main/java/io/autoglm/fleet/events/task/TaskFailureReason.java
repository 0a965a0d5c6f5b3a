package io.autoglm.fleet.events.task;

/** Why a task failed, each a different thing for a person to do; {@code TaskFailed.detail} says the particulars. */
public enum TaskFailureReason {
    /** The task took its {@code maxSteps} without the model saying finish: a harder task needs more steps or a clearer instruction. */
    MAX_STEPS,
    /** Its deadline passed. */
    DEADLINE,
    /** The model's reply was not one action of the grammar twice in a row; the raw text is kept. */
    MODEL_UNPARSEABLE,
    /** The model refused the request for good (unknown model, bad request, its backend refused the credential): an operator must fix it. */
    MODEL_REFUSED,
    /** The model did not answer (backend unavailable, over capacity, timed out) through the retries. */
    MODEL_FAILED,
    /** No device qualifies for the task (none ONLINE and free that meets its requirements, or its device is not). */
    NO_DEVICE,
    /** The task's device was lost and no other qualifies (or the task was pinned to that device). */
    DEVICE_LOST_NO_OTHER,
    /** The task was handed over as many times as allowed and lost its device again. */
    HAND_OVER_LIMIT,
    /** A person refused a sensitive action. */
    CONFIRMATION_REFUSED,
    /** Nobody confirmed or refused a sensitive action in time. */
    CONFIRMATION_TIMEOUT,
    /** Nobody said a take-over was done in time. */
    TAKEOVER_TIMEOUT,
    /** The model asked for a person (Take_over, or a screen that cannot be captured) and the task runs unattended. */
    TAKEOVER_UNATTENDED,
    /** A step's placement, command or inference got no answer in time (the control plane, not the device or the model). */
    STEP_TIMEOUT
}
