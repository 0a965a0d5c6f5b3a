package io.autoglm.fleet.events.task;

/**
 * Which part of its step a RUNNING task is in: the observation command on the device, the model's inference, the action
 * command on the device, or a {@code Wait} (a delayed message, no thread held).
 */
public enum TaskPhase {
    OBSERVING,
    THINKING,
    ACTING,
    WAITING
}
