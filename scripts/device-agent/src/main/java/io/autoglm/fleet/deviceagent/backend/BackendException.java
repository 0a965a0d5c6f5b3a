package io.autoglm.fleet.deviceagent.backend;

/**
 * Why a backend could not do what it was asked. The subtypes are the outcomes the agent reports
 * differently: a tool that failed, a device it cannot reach, arguments that make no sense, an app it
 * does not know, an action it does not do.
 */
public abstract sealed class BackendException extends Exception
        permits CommandFailedException, DeviceUnreachableException, InvalidActionException, UnknownAppException,
        UnsupportedActionException {

    protected BackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
