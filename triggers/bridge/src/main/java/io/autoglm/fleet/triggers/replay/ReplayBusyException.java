package io.autoglm.fleet.triggers.replay;

/** Another replay of the same tenant's dead letters is running (here or on another replica): answered 409. */
public final class ReplayBusyException extends RuntimeException {

    public ReplayBusyException(String message, Throwable cause) {
        super(message, cause);
    }
}
