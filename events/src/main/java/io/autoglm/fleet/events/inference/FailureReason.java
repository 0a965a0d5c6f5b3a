package io.autoglm.fleet.events.inference;

/**
 * Why an inference failed. {@link #BAD_REQUEST} and {@link #UNKNOWN_MODEL} are the caller's to fix;
 * {@link #CAPACITY}, {@link #NOT_READY} and {@link #BACKEND_UNAVAILABLE} are worth retrying later;
 * {@link #CREDENTIAL_REFUSED} needs an operator (the version's credential); {@link #INTERNAL} is ours.
 */
public enum FailureReason {
    BAD_REQUEST,
    UNKNOWN_MODEL,
    CAPACITY,
    NOT_READY,
    TIMEOUT,
    INTERNAL,
    /** A remote backend did not answer through every retry (refused connections, 5xx, 429): retry later. */
    BACKEND_UNAVAILABLE,
    /** A remote backend refused the version's credential (401/403): not worth retrying until an operator fixes it. */
    CREDENTIAL_REFUSED
}
