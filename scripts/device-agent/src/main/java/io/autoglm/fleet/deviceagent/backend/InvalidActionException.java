package io.autoglm.fleet.deviceagent.backend;

/** A command's arguments do not make an action: a missing {@code element}, a point off the screen, a bad duration. */
public final class InvalidActionException extends BackendException {

    public InvalidActionException(String message) {
        super(message, null);
    }
}
