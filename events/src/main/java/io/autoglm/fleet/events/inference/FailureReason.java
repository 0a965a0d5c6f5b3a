package io.autoglm.fleet.events.inference;

/**
 * Why an inference failed. {@link #BAD_REQUEST} and {@link #UNKNOWN_MODEL} are the caller's to fix;
 * {@link #CAPACITY} and {@link #NOT_READY} are worth retrying later; {@link #INTERNAL} is ours.
 */
public enum FailureReason {
    BAD_REQUEST,
    UNKNOWN_MODEL,
    CAPACITY,
    NOT_READY,
    TIMEOUT,
    INTERNAL
}
