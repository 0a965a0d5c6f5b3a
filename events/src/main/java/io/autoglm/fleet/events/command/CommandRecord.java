package io.autoglm.fleet.events.command;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A command's one current state and how it got there: the row of the tenant's compacted command state
 * table, keyed by command id, written only by the commands function. {@code result} is the device's
 * answer once SUCCEEDED; {@code detail} says why it ended otherwise. {@code late} counts results that came
 * after the command had ended (recorded, never applied).
 *
 * <p>{@code expiresAt} and {@code timeoutMs} are the deadlines in force (the command's own, or the function's
 * defaults); {@code dispatch} is the {@code command.dispatched} exactly as it was written, re-sent unchanged to a
 * device that reconnects with the command pending, and null while the command is an orphan (a device's word about it
 * came before its dispatch did). {@code batchSize} is the number of members of its batch once the batch's dispatch
 * is known (null before, and for a command on its own); {@code sequence} orders a device's commands as they were
 * dispatched.
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
        Instant updatedAt,
        CommandDispatched dispatch,
        Integer batchSize,
        long sequence) {

    public CommandRecord {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(state, "state");
        history = history == null ? List.of() : List.copyOf(history);
    }

    /** A record without its dispatch, batch size and sequence. */
    public CommandRecord(String commandId, String batchId, String tenant, String deviceId, CommandAction action, CommandState state,
                         Instant dispatchedAt, Instant expiresAt, Long timeoutMs, int deliveries, List<CommandTransition> history,
                         CommandCompleted result, String detail, int late, Instant updatedAt) {
        this(commandId, batchId, tenant, deviceId, action, state, dispatchedAt, expiresAt, timeoutMs, deliveries, history, result, detail,
                late, updatedAt, null, null, 0);
    }

    /** Whether the device's word about this command came before its dispatch did (and the dispatch is still unseen). */
    @JsonIgnore
    public boolean orphan() {
        return dispatch == null;
    }
}
