package io.autoglm.fleet.events.command;

import java.util.Objects;

/**
 * Payload of {@code io.autoglm.command.completed}: the device carried the command out; {@code output}
 * is what it has to say (a Note's text, an API call's answer), {@code observation} what it saw when
 * asked to observe.
 */
public record CommandCompleted(String commandId, String deviceId, String output, Observation observation, CommandTimings timings) {

    public CommandCompleted {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(deviceId, "deviceId");
    }
}
