package io.autoglm.fleet.events.command;

import java.util.List;
import java.util.Objects;

/** Payload of {@code io.autoglm.command.batch.requested}: commands delivered all together or not at all. */
public record CommandBatchRequested(String batchId, List<CommandRequested> commands) {
    public CommandBatchRequested {
        Objects.requireNonNull(batchId, "batchId");
        commands = List.copyOf(commands);
    }
}
