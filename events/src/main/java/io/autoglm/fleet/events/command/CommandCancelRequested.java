package io.autoglm.fleet.events.command;

import java.util.Objects;

/**
 * Payload of {@code io.autoglm.command.cancel.requested}: someone wants a command stopped; it wins if
 * the command has not ended yet. The tenant is the event's.
 */
public record CommandCancelRequested(String commandId, String reason) {

    public CommandCancelRequested {
        Objects.requireNonNull(commandId, "commandId");
    }
}
