package io.autoglm.fleet.commands;

import io.autoglm.fleet.events.command.CommandDispatched;
import io.autoglm.fleet.events.command.CommandRecord;
import io.autoglm.fleet.events.command.CommandState;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * What a device that (re)connects is owed: its commands still QUEUED or DELIVERED, as their {@code command.dispatched} was
 * written, in the order they were dispatched (dispatch time, then the order this function first saw them: a batch's members
 * share one dispatch time). The gateway pushes only what it reads while it holds the device; these are sent again so a
 * device that was away, or reconnected to another replica, gets them. The device drops ids it has already executed.
 *
 * <p>A dispatch can also race its device's connection: a replica reads the command while the device is not held there yet
 * (it is on its way from a replica that died), and this function hears of the connection before the dispatch, when the
 * command has no record to send again. Such a dispatch is sent again as soon as it is recorded ({@link #racedConnection}).
 */
public final class PendingCommands {

    /**
     * How far apart the clocks of the gateway (a connection's time) and the producer of a dispatch (its {@code dispatchedAt})
     * may be: a dispatch up to this long before a connection it is heard after is taken to have raced it.
     */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(2);

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

    /**
     * Whether a command just recorded must be written again because its device's newest connection, already heard of, may have
     * missed it. A replica pushes what it reads while it holds the device, and it holds it from before the time its
     * {@code device.connected} gives: a command written after that reached the device; one written before it may not have,
     * and the re-dispatch that connection called for was done before this command had a record. {@code connectedAt} is that
     * newest connection's time (null: none heard of since this function opened the tenant).
     */
    public static boolean racedConnection(CommandDispatched dispatched, Instant connectedAt) {
        if (connectedAt == null) {
            return false;
        }
        return dispatched.dispatchedAt() == null || connectedAt.isAfter(dispatched.dispatchedAt().minus(CLOCK_SKEW));
    }
}
