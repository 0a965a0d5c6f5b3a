package io.autoglm.fleet.events.command;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Payload of {@code io.autoglm.command.batch.completed}: every member of a batch has ended; the batch
 * succeeded when all did, and {@code failed} names those that did not.
 */
public record CommandBatchCompleted(String batchId, boolean succeeded, Map<String, CommandState> members, List<String> failed) {
    public CommandBatchCompleted {
        Objects.requireNonNull(batchId, "batchId");
        members = members == null ? Map.of() : Map.copyOf(members);
        failed = failed == null ? List.of() : List.copyOf(failed);
    }
}
