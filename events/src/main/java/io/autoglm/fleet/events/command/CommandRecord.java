package io.autoglm.fleet.events.command;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A command's one current state and how it got there: the row of the tenant's compacted command state
 * table, keyed by command id, written only by the commands function. {@code result} is the device's
 * answer once SUCCEEDED; {@code detail} says why it ended otherwise. {@code late} counts results that came
 * after the command had ended (recorded, never applied).
 */
public record CommandRecord(
        String commandId,
        String batchId,
        String tenant,
        String deviceId,
        CommandAction action,
        CommandState state,
        Instant dispatchedAt,
        Instant expiresAt,
        Long timeoutMs,
        int deliveries,
        List<CommandTransition> history,
        CommandCompleted result,
        String detail,
        int late,
        Instant updatedAt) {

    public CommandRecord {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(state, "state");
        history = history == null ? List.of() : List.copyOf(history);
    }
}
