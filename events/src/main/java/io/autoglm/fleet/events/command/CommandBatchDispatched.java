package io.autoglm.fleet.events.command;

import java.util.List;
import java.util.Objects;

/** Payload of {@code io.autoglm.command.batch.dispatched}: every command of the batch, committed in one transaction. */
public record CommandBatchDispatched(String batchId, List<CommandDispatched> commands) {
    public CommandBatchDispatched {
        Objects.requireNonNull(batchId, "batchId");
        commands = List.copyOf(commands);
    }
}
