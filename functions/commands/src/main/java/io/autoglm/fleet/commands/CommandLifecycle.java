package io.autoglm.fleet.commands;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.events.Rejection;
import io.autoglm.fleet.events.command.CommandAction;
import io.autoglm.fleet.events.command.CommandCompleted;
import io.autoglm.fleet.events.command.CommandDeadline;
import io.autoglm.fleet.events.command.CommandDelivered;
import io.autoglm.fleet.events.command.CommandDispatched;
import io.autoglm.fleet.events.command.CommandEnded;
import io.autoglm.fleet.events.command.CommandRecord;
import io.autoglm.fleet.events.command.CommandState;
import io.autoglm.fleet.events.command.CommandTransition;
import io.autoglm.fleet.events.command.DeadlineKind;
import io.autoglm.fleet.events.validation.InvalidEventException;
import io.autoglm.fleet.state.Reply;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static io.autoglm.fleet.events.command.CommandState.CANCELED;
import static io.autoglm.fleet.events.command.CommandState.DELIVERED;
import static io.autoglm.fleet.events.command.CommandState.EXPIRED;
import static io.autoglm.fleet.events.command.CommandState.FAILED;
import static io.autoglm.fleet.events.command.CommandState.IN_PROGRESS;
import static io.autoglm.fleet.events.command.CommandState.QUEUED;
import static io.autoglm.fleet.events.command.CommandState.REJECTED;
import static io.autoglm.fleet.events.command.CommandState.SUCCEEDED;
import static io.autoglm.fleet.events.command.CommandState.TIMED_OUT;

/**
 * Moves one command through its life, one event at a time: given its current record (or none) and one input, the next
 * record and the events that follow. Only legal transitions are applied:
 *
 * <pre>
 * QUEUED -> DELIVERED -> IN_PROGRESS -> SUCCEEDED | FAILED
 * QUEUED | DELIVERED -> REJECTED (declined) | EXPIRED (delivery deadline)      IN_PROGRESS -> TIMED_OUT (execution deadline)
 * any state not ended -> CANCELED (cancel request; the device is told with command.canceled)
 * </pre>
 *
 * Results may overtake each other (a {@code completed} before its {@code accepted}, a {@code progress} before it, which then
 * counts as the accept): each is taken for what it says. A result after the command ended is recorded in its history and
 * counted ({@code late}), never applied; a redelivered copy of any event already applied (same event id) changes nothing, and
 * the copy of a cancel or deadline that ended the command answers with that end again (its first answer may have reached
 * nobody).
 *
 * <p>A device's word about a command not dispatched yet is kept, as an <em>orphan</em> record in the state it reports: the
 * dispatch and the device's answers travel on different topics through different subscriptions, so a fast device's
 * {@code accepted} can reach this function before the router's {@code dispatched} does, and refusing it would lose a real
 * result. The dispatch, when it comes, fills the orphan in; the orphan's own deadlines (the defaults) end it if none ever
 * comes. A cancel for a command not known here is refused instead (answered {@code command.cancel.rejected}): it comes from a
 * person, who can be told and try again, and keeping it would leave a row behind for every mistyped id.
 *
 * <p>Deadlines are events this function schedules for itself (Pulsar delayed messages): at dispatch the delivery deadline at
 * the command's {@code expiresAt} (the dispatch time plus the default TTL when it has none), at accept the execution
 * deadline {@code timeoutMs} later (the default when the command has none). A deadline that arrives for a command past its
 * stage does nothing. Plain Java, no I/O: {@code CommandService} reads, writes and publishes.
 */
public final class CommandLifecycle {

    /** History entries kept per command; the first (how it began) and the newest stay when there are more. */
    public static final int MAX_HISTORY = 64;
    static final String PROGRESS = "command.progress";

    private final Duration defaultTtl;
    private final Duration defaultTimeout;

    /**
     * @param defaultTtl     the delivery deadline of a command dispatched without {@code expiresAt}
     * @param defaultTimeout the execution timeout of a command dispatched without {@code timeoutMs}
     */
    public CommandLifecycle(Duration defaultTtl, Duration defaultTimeout) {
        this.defaultTtl = positive(defaultTtl, "defaultTtl");
        this.defaultTimeout = positive(defaultTimeout, "defaultTimeout");
    }

    private static Duration positive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + duration);
        }
        return duration;
    }

    public Duration defaultTtl() {
        return defaultTtl;
    }

    public Duration defaultTimeout() {
        return defaultTimeout;
    }

    /**
     * Decides what {@code input} does to the command.
     *
     * @param tenant   the tenant of the event (the command's)
     * @param current  the command's record, or null when the table has none
     * @param now      this function's clock
     * @param sequence the order to give a record created now among its device's commands
     * @throws InvalidEventException when the input contradicts the record (a device reporting on another device's command, a
     *                               dispatch for another tenant): the sender's fault, nothing is changed
     */
    public Step apply(String tenant, CommandRecord current, CommandInput input, Instant now, long sequence) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(now, "now");
        if (current != null && input.eventId() != null && seen(current, input.eventId())) {
            return redelivered(current, input);
        }
        if (input instanceof CommandInput.Dispatched dispatched) {
            return dispatched(tenant, current, input.eventId(), dispatched.dispatched(), null, now, sequence);
        }
        if (input instanceof CommandInput.BatchMember member) {
            return dispatched(tenant, current, input.eventId(), member.dispatched(), member.batchSize(), now, sequence);
        }
        if (input instanceof CommandInput.CancelRequested cancel) {
            return cancel(tenant, current, cancel, now);
        }
        if (input instanceof CommandInput.Deadline deadline) {
            return deadline(current, deadline.deadline(), input.eventId(), now);
        }
        return result(tenant, current, input, now, sequence);
    }

    // --- dispatch ---

    private Step dispatched(String tenant, CommandRecord current, String eventId, CommandDispatched dispatched, Integer batchSize, Instant now,
                            long sequence) {
        if (!tenant.equals(dispatched.tenant())) {
            throw invalid("data.tenant", "data.tenant '" + dispatched.tenant() + "' does not match the event's tenant '" + tenant + "'");
        }
        String how = batchSize == null ? "command.dispatched" : "command.batch.dispatched (batch " + dispatched.batchId() + ", " + batchSize
                + " members)";
        if (current == null) {
            Draft draft = new Draft(dispatched.commandId(), tenant, dispatched.deviceId(), QUEUED, sequence);
            draft.dispatch(dispatched, deliveryDue(dispatched, now), timeoutOf(dispatched));
            draft.batchSize = batchSize;
            draft.history.add(new CommandTransition(QUEUED, now, how, eventId));
            CommandRecord record = draft.build(now);
            return new Step(record, List.of(deliveryDeadline(record)), null, Verdict.MOVED);
        }
        if (!current.deviceId().equals(dispatched.deviceId())) {
            if (current.orphan()) {
                throw invalid("data.deviceId", "command " + dispatched.commandId() + " is dispatched to device " + dispatched.deviceId()
                        + ", but device " + current.deviceId() + " has already reported on it");
            }
            Draft draft = new Draft(current);
            draft.history.add(new CommandTransition(current.state(), now, how + " to device " + dispatched.deviceId()
                    + " not applied: the command was dispatched to device " + current.deviceId() + " first; withdrawn from "
                    + dispatched.deviceId(), eventId));
            return new Step(draft.build(now), List.of(), withdrawn(current, dispatched, now), Verdict.REFUSED);
        }
        if (current.orphan()) {
            Draft draft = new Draft(current);
            Instant due = deliveryDue(dispatched, now);
            draft.dispatch(dispatched, due, dispatched.timeoutMs() != null ? dispatched.timeoutMs() : current.timeoutMs());
            draft.batchSize = batchSize != null ? batchSize : current.batchSize();
            draft.history.add(new CommandTransition(current.state(), now, how + " (after the device's word on it)", eventId));
            CommandRecord record = draft.build(now);
            boolean waiting = current.state() == QUEUED || current.state() == DELIVERED;
            List<CommandDeadline> deadlines = waiting && !due.equals(current.expiresAt()) ? List.of(deliveryDeadline(record)) : List.of();
            return new Step(record, deadlines, null, Verdict.NOTED);
        }
        if (batchSize != null && current.batchSize() == null) {
            Draft draft = new Draft(current);
            draft.batchSize = batchSize;
            return new Step(draft.build(now), List.of(), null, Verdict.NOTED);
        }
        return Step.unchanged(null); // a second copy, or this function's own re-dispatch coming back
    }

    /**
     * The second device's copy of a command decided twice (a redelivered request routed again, elsewhere) is canceled on
     * that device's topic: its gateway withdraws it and its agent drops it, so one command never runs on two devices.
     */
    private static Reply withdrawn(CommandRecord current, CommandDispatched second, Instant now) {
        String why = "dispatched to device " + current.deviceId() + " first; this device's copy is withdrawn";
        return new Reply(EventType.COMMAND_CANCELED, new CommandEnded(second.commandId(), second.deviceId(), CANCELED, why, now), current.tenant(),
                second.deviceId());
    }

    private Instant deliveryDue(CommandDispatched dispatched, Instant now) {
        if (dispatched.expiresAt() != null) {
            return dispatched.expiresAt();
        }
        return (dispatched.dispatchedAt() != null ? dispatched.dispatchedAt() : now).plus(defaultTtl);
    }

    private long timeoutOf(CommandDispatched dispatched) {
        return dispatched.timeoutMs() != null ? dispatched.timeoutMs() : defaultTimeout.toMillis();
    }

    private static CommandDeadline deliveryDeadline(CommandRecord record) {
        return new CommandDeadline(record.commandId(), record.deviceId(), DeadlineKind.DELIVERY, record.expiresAt());
    }

    private static CommandDeadline executionDeadline(CommandRecord record, Instant acceptedAt) {
        return new CommandDeadline(record.commandId(), record.deviceId(), DeadlineKind.EXECUTION, acceptedAt.plusMillis(record.timeoutMs()));
    }

    // --- what the device says ---

    private Step result(String tenant, CommandRecord current, CommandInput input, Instant now, long sequence) {
        if (current == null) {
            return orphan(tenant, input, now, sequence);
        }
        if (!current.deviceId().equals(input.deviceId())) {
            throw invalid("data.deviceId", "command " + current.commandId() + " was dispatched to device " + current.deviceId() + "; device "
                    + input.deviceId() + " cannot report on it");
        }
        CommandState state = current.state();
        String eventId = input.eventId();
        if (input instanceof CommandInput.Delivered delivered) {
            return delivered(current, delivered.delivered(), eventId, now);
        }
        if (state.terminal()) {
            Draft draft = new Draft(current);
            draft.late++;
            draft.history.add(new CommandTransition(state, now, "late " + input.type().type().substring(EventType.TYPE_PREFIX.length())
                    + " not applied: the command had already ended " + state, eventId));
            return new Step(draft.build(now), List.of(), null, Verdict.LATE);
        }
        boolean waiting = state == QUEUED || state == DELIVERED;
        if (input instanceof CommandInput.Accepted) {
            if (!waiting) {
                return Step.unchanged(null);
            }
            return started(current, "command.accepted", eventId, now);
        }
        if (input instanceof CommandInput.Progress progress) {
            String said = progressDetail(progress);
            if (waiting) {
                return started(current, said + " (taken as accepted)", eventId, now);
            }
            Draft draft = new Draft(current);
            int last = draft.history.size() - 1;
            CommandTransition newest = draft.history.get(last);
            boolean replaceable = newest.state() == IN_PROGRESS && newest.detail() != null && newest.detail().startsWith(PROGRESS)
                    && last > 0 && draft.history.get(last - 1).state() == IN_PROGRESS; // never the entry that started it
            if (replaceable) {
                draft.history.set(last, new CommandTransition(IN_PROGRESS, now, said, eventId)); // only the newest word is kept
            } else {
                draft.history.add(new CommandTransition(IN_PROGRESS, now, said, eventId));
            }
            return new Step(draft.build(now), List.of(), null, Verdict.NOTED);
        }
        String early = waiting ? " (before its command.accepted)" : "";
        if (input instanceof CommandInput.Completed completed) {
            Draft draft = new Draft(current);
            draft.state = SUCCEEDED;
            draft.result = completed.completed();
            draft.detail = null;
            draft.history.add(new CommandTransition(SUCCEEDED, now, "command.completed" + early, eventId));
            return new Step(draft.build(now), List.of(), null, Verdict.MOVED);
        }
        if (input instanceof CommandInput.Failed failed) {
            String why = failed.failed().reason() + (failed.failed().message() == null ? "" : ": " + failed.failed().message());
            return ended(current, FAILED, why, "command.failed" + early + ": " + why, eventId, now);
        }
        CommandInput.Declined declined = (CommandInput.Declined) input;
        String why = declined.declined().reason() + (declined.declined().message() == null ? "" : ": " + declined.declined().message());
        if (!waiting) {
            Draft draft = new Draft(current);
            draft.history.add(new CommandTransition(state, now, "command.declined not applied: the device had accepted the command ("
                    + why + ")", eventId));
            return new Step(draft.build(now), List.of(), null, Verdict.REFUSED);
        }
        return ended(current, REJECTED, why, "command.declined: " + why, eventId, now);
    }

    private static Step delivered(CommandRecord current, CommandDelivered delivered, String eventId, Instant now) {
        int attempt = Math.max(1, delivered.attempt());
        String how = "command.delivered by " + delivered.gateway() + " (attempt " + attempt + ")";
        if (current.state() == QUEUED) {
            Draft draft = new Draft(current);
            draft.state = DELIVERED;
            draft.deliveries = Math.max(current.deliveries(), attempt);
            draft.history.add(new CommandTransition(DELIVERED, now, how, eventId));
            return new Step(draft.build(now), List.of(), null, Verdict.MOVED);
        }
        if (attempt <= current.deliveries()) {
            return Step.unchanged(null);
        }
        Draft draft = new Draft(current); // delivered again (a reconnect), or the report overtaken by the device's answer
        draft.deliveries = attempt;
        draft.history.add(new CommandTransition(current.state(), now, how, eventId));
        return new Step(draft.build(now), List.of(), null, Verdict.NOTED);
    }

    private static Step started(CommandRecord current, String how, String eventId, Instant now) {
        Draft draft = new Draft(current);
        draft.state = IN_PROGRESS;
        draft.history.add(new CommandTransition(IN_PROGRESS, now, how, eventId));
        CommandRecord record = draft.build(now);
        return new Step(record, List.of(executionDeadline(record, now)), null, Verdict.MOVED);
    }

    private static String progressDetail(CommandInput.Progress progress) {
        Integer percent = progress.progress().percent();
        String message = progress.progress().message();
        return PROGRESS + (percent == null ? "" : " " + percent + "%") + (message == null ? "" : ": " + message);
    }

    /** A device's word on a command not dispatched yet: kept in the state it reports, with the default deadlines. */
    private Step orphan(String tenant, CommandInput input, Instant now, long sequence) {
        CommandState state = reportedState(input);
        Draft draft = new Draft(input.commandId(), tenant, input.deviceId(), state, sequence);
        draft.timeoutMs = defaultTimeout.toMillis();
        String what = input.type().type().substring(EventType.TYPE_PREFIX.length());
        String detail = what + " before its command.dispatched";
        List<CommandDeadline> deadlines = new ArrayList<>();
        if (input instanceof CommandInput.Delivered delivered) {
            draft.deliveries = Math.max(1, delivered.delivered().attempt());
            draft.expiresAt = now.plus(defaultTtl);
        } else if (input instanceof CommandInput.Completed completed) {
            draft.result = completed.completed();
        } else if (input instanceof CommandInput.Failed failed) {
            draft.detail = failed.failed().reason() + (failed.failed().message() == null ? "" : ": " + failed.failed().message());
            detail += ": " + draft.detail;
        } else if (input instanceof CommandInput.Declined declined) {
            draft.detail = declined.declined().reason() + (declined.declined().message() == null ? "" : ": " + declined.declined().message());
            detail += ": " + draft.detail;
        } else if (input instanceof CommandInput.Progress progress) {
            detail = progressDetail(progress) + " before its command.dispatched (taken as accepted)";
        }
        draft.history.add(new CommandTransition(state, now, detail, input.eventId()));
        CommandRecord record = draft.build(now);
        if (state == DELIVERED) {
            deadlines.add(deliveryDeadline(record));
        } else if (state == IN_PROGRESS) {
            deadlines.add(executionDeadline(record, now));
        }
        return new Step(record, deadlines, null, Verdict.ORPHAN);
    }

    private static CommandState reportedState(CommandInput input) {
        if (input instanceof CommandInput.Delivered) {
            return DELIVERED;
        }
        if (input instanceof CommandInput.Accepted || input instanceof CommandInput.Progress) {
            return IN_PROGRESS;
        }
        if (input instanceof CommandInput.Completed) {
            return SUCCEEDED;
        }
        if (input instanceof CommandInput.Failed) {
            return FAILED;
        }
        if (input instanceof CommandInput.Declined) {
            return REJECTED;
        }
        throw new IllegalArgumentException("not a device's word on a command: " + input.type().type());
    }

    // --- what the service decides ---

    private static Step cancel(String tenant, CommandRecord current, CommandInput.CancelRequested cancel, Instant now) {
        String commandId = cancel.commandId();
        if (current == null) {
            return Step.unchanged(cancelRejected(tenant, cancel, "no command " + commandId + " in tenant " + tenant
                    + " (unknown, or not dispatched yet): nothing to cancel; send the cancel again once it is dispatched"));
        }
        if (current.state().terminal()) {
            return Step.unchanged(cancelRejected(tenant, cancel, "command " + commandId + " already ended " + current.state() + " at "
                    + current.updatedAt() + ": nothing to cancel"));
        }
        String reason = cancel.cancel().reason() == null || cancel.cancel().reason().isBlank() ? "cancel requested" : cancel.cancel().reason();
        return ended(current, CANCELED, reason, "command.cancel.requested: " + reason, cancel.eventId(), now);
    }

    private static Reply cancelRejected(String tenant, CommandInput.CancelRequested cancel, String why) {
        Rejection rejection = new Rejection(cancel.eventId() == null ? cancel.commandId() : cancel.eventId(),
                EventType.COMMAND_CANCEL_REQUESTED.type(), cancel.commandId(), List.of(new Problem("data.commandId", why)));
        return new Reply(EventType.COMMAND_CANCEL_REJECTED, rejection, tenant, null);
    }

    private static Step deadline(CommandRecord current, CommandDeadline deadline, String eventId, Instant now) {
        if (current == null || !current.deviceId().equals(deadline.deviceId())) {
            return Step.unchanged(null);
        }
        CommandState state = current.state();
        if (deadline.kind() == DeadlineKind.DELIVERY && (state == QUEUED || state == DELIVERED)
                && (current.expiresAt() == null || !deadline.due().isBefore(current.expiresAt()))) {
            String why = state == QUEUED ? "not delivered within its TTL (it ended at " + deadline.due() + ")"
                    : "delivered " + (current.deliveries() == 1 ? "once" : current.deliveries() + " times") + " but not accepted within its TTL (it ended at "
                    + deadline.due() + ")";
            return ended(current, EXPIRED, why, "command.deadline DELIVERY: " + why, eventId, now);
        }
        if (deadline.kind() == DeadlineKind.EXECUTION && state == IN_PROGRESS) {
            Instant accepted = acceptedAt(current);
            String why = (accepted == null ? "accepted" : "accepted at " + accepted) + ", no result within " + current.timeoutMs() + " ms";
            return ended(current, TIMED_OUT, why, "command.deadline EXECUTION: " + why, eventId, now);
        }
        return Step.unchanged(null); // the command is past the stage this deadline guards
    }

    private static Instant acceptedAt(CommandRecord record) {
        for (CommandTransition transition : record.history()) {
            if (transition.state() == IN_PROGRESS) {
                return transition.at();
            }
        }
        return null;
    }

    /** The command ends in {@code state} for {@code why}; the service's own ends are announced (a cancel also to the device). */
    private static Step ended(CommandRecord current, CommandState state, String why, String how, String eventId, Instant now) {
        Draft draft = new Draft(current);
        draft.state = state;
        draft.detail = why;
        draft.history.add(new CommandTransition(state, now, how, eventId));
        CommandRecord record = draft.build(now);
        return new Step(record, List.of(), announcement(record, now), Verdict.MOVED);
    }

    /** The event that announces a service-made end (canceled, expired, timed out), or null for an end the device reported. */
    private static Reply announcement(CommandRecord record, Instant at) {
        EventType type = switch (record.state()) {
            case CANCELED -> EventType.COMMAND_CANCELED;
            case EXPIRED -> EventType.COMMAND_EXPIRED;
            case TIMED_OUT -> EventType.COMMAND_TIMED_OUT;
            default -> null;
        };
        return type == null ? null
                : new Reply(type, new CommandEnded(record.commandId(), record.deviceId(), record.state(), record.detail(), at), record.tenant(),
                record.deviceId());
    }

    /** A copy of an event already taken: nothing changes; the copy of the cancel or deadline that ended the command answers again. */
    private static Step redelivered(CommandRecord current, CommandInput input) {
        boolean serviceMade = input instanceof CommandInput.CancelRequested || input instanceof CommandInput.Deadline;
        if (serviceMade) {
            for (CommandTransition transition : current.history()) {
                if (input.eventId().equals(transition.eventId()) && transition.state() == current.state()) {
                    return Step.unchanged(announcement(current, transition.at()));
                }
            }
        }
        return Step.unchanged(null);
    }

    private static boolean seen(CommandRecord record, String eventId) {
        for (CommandTransition transition : record.history()) {
            if (eventId.equals(transition.eventId())) {
                return true;
            }
        }
        return false;
    }

    private static InvalidEventException invalid(String location, String message) {
        return new InvalidEventException(List.of(new Problem(location, message)));
    }

    /** A record being changed. */
    private static final class Draft {
        final String commandId;
        final String tenant;
        final String deviceId;
        final long sequence;
        String batchId;
        CommandAction action;
        CommandState state;
        Instant dispatchedAt;
        Instant expiresAt;
        Long timeoutMs;
        int deliveries;
        final List<CommandTransition> history;
        CommandCompleted result;
        String detail;
        int late;
        CommandDispatched dispatch;
        Integer batchSize;

        Draft(String commandId, String tenant, String deviceId, CommandState state, long sequence) {
            this.commandId = commandId;
            this.tenant = tenant;
            this.deviceId = deviceId;
            this.state = state;
            this.sequence = sequence;
            this.history = new ArrayList<>();
        }

        Draft(CommandRecord record) {
            this(record.commandId(), record.tenant(), record.deviceId(), record.state(), record.sequence());
            batchId = record.batchId();
            action = record.action();
            dispatchedAt = record.dispatchedAt();
            expiresAt = record.expiresAt();
            timeoutMs = record.timeoutMs();
            deliveries = record.deliveries();
            history.addAll(record.history());
            result = record.result();
            detail = record.detail();
            late = record.late();
            dispatch = record.dispatch();
            batchSize = record.batchSize();
        }

        void dispatch(CommandDispatched dispatched, Instant due, Long timeout) {
            dispatch = dispatched;
            batchId = dispatched.batchId();
            action = dispatched.action();
            dispatchedAt = dispatched.dispatchedAt();
            expiresAt = due;
            timeoutMs = timeout;
        }

        CommandRecord build(Instant now) {
            while (history.size() > MAX_HISTORY) {
                history.remove(1);
            }
            return new CommandRecord(commandId, batchId, tenant, deviceId, action, state, dispatchedAt, expiresAt, timeoutMs, deliveries, history,
                    result, detail, late, now, dispatch, batchSize, sequence);
        }
    }
}
