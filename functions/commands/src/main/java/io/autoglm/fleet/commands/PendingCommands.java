package io.autoglm.fleet.commands;

import io.autoglm.fleet.events.command.CommandDispatched;
import io.autoglm.fleet.events.command.CommandRecord;
import io.autoglm.fleet.events.command.CommandState;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * What a device that (re)connects is owed: its commands still QUEUED or DELIVERED, as their {@code command.dispatched} was
 * written, in the order they were dispatched (dispatch time, then the order this function first saw them: a batch's members
 * share one dispatch time). The gateway pushes only what it reads while it holds the device; these are sent again so a
 * device that was away, or reconnected to another replica, gets them. The device drops ids it has already executed.
 */
public final class PendingCommands {

    private static final Comparator<CommandRecord> DISPATCH_ORDER = Comparator
            .comparing(CommandRecord::dispatchedAt, Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
            .thenComparingLong(CommandRecord::sequence)
            .thenComparing(CommandRecord::commandId);

    private PendingCommands() {
    }

    /** The dispatches to send again to a device, of its {@code records}. Orphans are not sent: their dispatch has not been seen. */
    public static List<CommandDispatched> toResend(Collection<CommandRecord> records) {
        return records.stream()
                .filter(record -> !record.orphan() && (record.state() == CommandState.QUEUED || record.state() == CommandState.DELIVERED))
                .sorted(DISPATCH_ORDER)
                .map(CommandRecord::dispatch)
                .toList();
    }
}
