package io.autoglm.fleet.deviceagent.backend;

import java.util.List;

/** The device tool could not be started, or did not answer in time: the device (or the tool) is not there. */
public final class DeviceUnreachableException extends BackendException {

    private final List<String> command;

    public DeviceUnreachableException(List<String> command, String why, Throwable cause) {
        super("'" + String.join(" ", command) + "': " + why, cause);
        this.command = List.copyOf(command);
    }

    public List<String> command() {
        return command;
    }
}
