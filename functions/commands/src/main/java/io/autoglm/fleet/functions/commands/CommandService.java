package io.autoglm.fleet.functions.commands;

import io.autoglm.fleet.commands.BatchOutcome;
import io.autoglm.fleet.commands.CommandInput;
import io.autoglm.fleet.commands.CommandLifecycle;
import io.autoglm.fleet.commands.PendingCommands;
import io.autoglm.fleet.commands.Step;
import io.autoglm.fleet.commands.Verdict;
import io.autoglm.fleet.events.EventPublisher;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.events.command.CommandBatchCompleted;
import io.autoglm.fleet.events.command.CommandBatchDispatched;
import io.autoglm.fleet.events.command.CommandDeadline;
import io.autoglm.fleet.events.command.CommandDispatched;
import io.autoglm.fleet.events.command.CommandRecord;
import io.autoglm.fleet.events.command.CommandState;
import io.autoglm.fleet.events.device.DevicePresence;
import io.autoglm.fleet.events.validation.InvalidEventException;
import io.autoglm.fleet.state.KeySequencer;
import io.autoglm.fleet.state.PerTenant;
import io.autoglm.fleet.state.Reply;
import io.autoglm.fleet.state.StateTable;
import io.autoglm.fleet.state.StateTopic;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the commands function does with each event, independent of HTTP: the {@link CommandLifecycle}'s decision on the
 * command's record in the tenant's command state table, then what it calls for, in an order that survives a crash at any
 * point (at-least-once): deadlines scheduled (Pulsar delayed messages) first, the record written next, a batch's outcome
 * announced once its last member's end is written. Everything about one command is done one event at a time
 * ({@link KeySequencer}), so two events for one command never race; different commands run in parallel.
 *
 * <p>Per tenant it keeps an index of each device's commands and each batch's members, built from the table when the
 * tenant's table opens (a restart, a scale from zero) and kept current by every write: a device that connects is sent its
 * commands still QUEUED or DELIVERED again ({@link PendingCommands}), and a device's commands are listed by state, without
 * a scan of the table. Replies are the service's own outcomes (canceled, expired, timed out) and refusals of a cancel; null
 * means no reply. {@link CommandsFunction} is its Funqy shell, {@link CommandQueries} its HTTP queries.
 *
 * <p>The index and the per-command order hold within one process: run one instance per set of tenants (the manifest's
 * {@code max-scale: "1"}), as the heartbeat function does.
 */
public final class CommandService {

    static final URI SOURCE = URI.create("/autoglm/functions/commands");
    private static final System.Logger LOG = System.getLogger(CommandService.class.getName());
    private static final Comparator<CommandRecord> DISPATCH_ORDER = Comparator.comparingLong(CommandRecord::sequence)
            .thenComparing(CommandRecord::commandId);

    private final CommandLifecycle lifecycle;
    private final StateTopic<CommandRecord> commands;
    private final EventPublisher publisher;
    private final Clock clock;
    private final KeySequencer sequencer = new KeySequencer();
    private final PerTenant<Tenant> tenants = new PerTenant<>(this::open);
    private final Map<Verdict, LongAdder> verdicts = new EnumMap<>(Verdict.class);
    private final Map<CommandState, LongAdder> transitions = new EnumMap<>(CommandState.class);
    private final LongAdder resent = new LongAdder();
    private final LongAdder batchesCompleted = new LongAdder();

    public CommandService(CommandLifecycle lifecycle, StateTopic<CommandRecord> commands, EventPublisher publisher, Clock clock) {
        this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
        this.commands = Objects.requireNonNull(commands, "commands");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.clock = Objects.requireNonNull(clock, "clock");
        for (Verdict verdict : Verdict.values()) {
            verdicts.put(verdict, new LongAdder());
        }
        for (CommandState state : CommandState.values()) {
            transitions.put(state, new LongAdder());
        }
    }

    /** One event about one command of {@code tenant}. */
    public CompletableFuture<Reply> apply(String tenant, CommandInput input) {
        return apply(tenant, input, null);
    }

    /**
     * A batch's dispatch: every member is recorded (those already seen learn the batch's size), so that the batch gets its
     * outcome only once all of them have ended. Members are numbered in the batch's order.
     */
    public CompletableFuture<Reply> batchDispatched(String tenant, String eventId, CommandBatchDispatched batch) {
        List<CommandDispatched> members = batch.commands();
        List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            if (!batch.batchId().equals(members.get(i).batchId())) {
                problems.add(new Problem("data.commands[" + i + "].batchId", "command " + members.get(i).commandId() + " names batch "
                        + members.get(i).batchId() + ", not " + batch.batchId()));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidEventException(problems);
        }
        return tenant(tenant).thenCompose(state -> {
            long first = state.sequence.getAndAdd(members.size()) + 1;
            List<CompletableFuture<Reply>> applied = new ArrayList<>(members.size());
            for (int i = 0; i < members.size(); i++) {
                applied.add(apply(tenant, new CommandInput.BatchMember(eventId, members.get(i), members.size()), first + i));
            }
            return CompletableFuture.allOf(applied.toArray(CompletableFuture[]::new)).thenCompose(done -> {
                // a member's own reply (its copy withdrawn from a second device) is written here: the batch has one reply, none
                List<CompletableFuture<Void>> sent = new ArrayList<>();
                for (CompletableFuture<Reply> member : applied) {
                    Reply reply = member.join();
                    if (reply != null) {
                        sent.add(publisher.publish(Events.newEvent(reply.type(), SOURCE, reply.tenant(), reply.partitionKey(), reply.payload()).build()));
                    }
                }
                return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).thenApply(written -> null);
            });
        });
    }

    /**
     * A device connected (to any gateway replica): its commands still QUEUED or DELIVERED are written to its command topic
     * again, as they were dispatched, in dispatch order.
     */
    public CompletableFuture<Reply> connected(String tenant, DevicePresence presence) {
        return tenant(tenant).thenCompose(state -> {
            if (presence.at() != null) { // before the records are read: a dispatch recorded from now on sees it (racedConnection)
                state.connections.merge(presence.deviceId(), presence.at(), (a, b) -> a.isAfter(b) ? a : b);
            }
            List<CommandDispatched> pending = PendingCommands.toResend(state.recordsOf(presence.deviceId()));
            List<CompletableFuture<Void>> sent = new ArrayList<>(pending.size());
            for (CommandDispatched command : pending) { // one producer per topic, in this order: the device's key keeps it
                sent.add(publisher.publish(Events.newEvent(EventType.COMMAND_DISPATCHED, SOURCE, tenant, command.deviceId(), command).build()));
            }
            resent.add(pending.size());
            if (!pending.isEmpty()) {
                LOG.log(System.Logger.Level.DEBUG, "{0}/{1} connected to {2}: {3} pending command(s) sent again", tenant, presence.deviceId(),
                        presence.gateway(), pending.size());
            }
            return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).thenApply(done -> null);
        });
    }

    /** The record of command {@code commandId} of {@code tenant}, if there is one. */
    public CompletableFuture<Optional<CommandRecord>> command(String tenant, String commandId) {
        return tenant(tenant).thenApply(state -> state.table.get(commandId));
    }

    /** The commands of a device of {@code tenant} in any of {@code states} (all when empty), in the order they were dispatched. */
    public CompletableFuture<List<CommandRecord>> commandsOf(String tenant, String deviceId, Set<CommandState> states) {
        return tenant(tenant).thenApply(state -> state.recordsOf(deviceId).stream()
                .filter(record -> states.isEmpty() || states.contains(record.state()))
                .sorted(DISPATCH_ORDER)
                .toList());
    }

    /** Opens the tables of {@code tenant} now (its index built), rather than on its first event. */
    public CompletableFuture<Void> openAhead(String tenant) {
        return tenant(tenant).thenApply(opened -> null);
    }

    /**
     * Removes (tombstones) the commands that ended more than {@code retention} ago, in every tenant open here, so that the
     * table, and the memory that holds it, does not grow with every command ever sent. A member of a batch still running
     * stays. A result that comes for a removed command later is kept as an orphan, as one for a command never seen.
     * Completes with how many were removed.
     */
    public CompletableFuture<Integer> forgetEnded(Duration retention) {
        Instant before = clock.instant().minus(retention);
        List<CompletableFuture<Boolean>> removals = new ArrayList<>();
        for (CompletableFuture<Tenant> opening : tenants.openings()) {
            Tenant state = opening.getNow(null);
            if (state == null) {
                continue;
            }
            List<String> old = new ArrayList<>();
            state.table.forEach((commandId, record) -> {
                if (ended(record, before) && !state.batchRunning(record)) {
                    old.add(commandId);
                }
            });
            for (String commandId : old) {
                removals.add(sequencer.submit(commandKey(state.table.tenant(), commandId), () -> {
                    CommandRecord record = state.table.get(commandId).orElse(null);
                    if (record == null || !ended(record, before) || state.batchRunning(record)) {
                        return CompletableFuture.completedFuture(false); // changed meanwhile
                    }
                    return state.table.remove(commandId).thenApply(done -> {
                        state.unindex(record);
                        return true;
                    });
                }));
            }
        }
        return CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new))
                .thenApply(done -> (int) removals.stream().filter(CompletableFuture::join).count());
    }

    private static boolean ended(CommandRecord record, Instant before) {
        return record.state().terminal() && record.updatedAt() != null && record.updatedAt().isBefore(before);
    }

    /** Inputs by what was made of them. */
    public Map<Verdict, Long> verdicts() {
        Map<Verdict, Long> counts = new EnumMap<>(Verdict.class);
        verdicts.keySet().forEach(verdict -> counts.put(verdict, verdicts(verdict)));
        return counts;
    }

    /** Inputs {@link CommandLifecycle} made {@code verdict} of. */
    public long verdicts(Verdict verdict) {
        return verdicts.get(verdict).sum();
    }

    /** Transitions into {@code state} since the start. */
    public long transitionsInto(CommandState state) {
        return transitions.get(state).sum();
    }

    /** Transitions into each state since the start. */
    public Map<CommandState, Long> transitions() {
        Map<CommandState, Long> counts = new EnumMap<>(CommandState.class);
        transitions.keySet().forEach(state -> counts.put(state, transitionsInto(state)));
        return counts;
    }

    /** Commands in each state now, over the tenants open in this process. */
    public Map<CommandState, Long> byState() {
        Map<CommandState, Long> counts = new EnumMap<>(CommandState.class);
        for (CommandState state : CommandState.values()) {
            counts.put(state, 0L);
        }
        tenants.openings().forEach(opening -> {
            Tenant tenant = opening.getNow(null);
            if (tenant != null) {
                tenant.table.forEach((id, record) -> counts.merge(record.state(), 1L, Long::sum));
            }
        });
        return counts;
    }

    /** Pending commands sent again to devices that connected. */
    public long resent() {
        return resent.sum();
    }

    public long batchesCompleted() {
        return batchesCompleted.sum();
    }

    private CompletableFuture<Reply> apply(String tenant, CommandInput input, Long reservedSequence) {
        return tenant(tenant).thenCompose(state -> sequencer.submit(commandKey(tenant, input.commandId()), () -> decide(state, input, reservedSequence))
                .thenCompose(step -> {
                    CommandRecord now = step.record;
                    if (now != null && now.batchId() != null && now.state().terminal()) {
                        return sequencer.submit(batchKey(tenant, now.batchId()), () -> completeBatch(state, now.batchId()))
                                .thenApply(done -> step.decided.reply());
                    }
                    return CompletableFuture.completedFuture(step.decided.reply());
                }));
    }

    /** The decision and the record as it stands after it. */
    private record Decided(Step decided, CommandRecord record) {
    }

    private CompletableFuture<Decided> decide(Tenant state, CommandInput input, Long reservedSequence) {
        CommandRecord current = state.table.get(input.commandId()).orElse(null);
        long sequence = current != null ? current.sequence() : reservedSequence != null ? reservedSequence : state.sequence.incrementAndGet();
        Step step = lifecycle.apply(state.table.tenant(), current, input, clock.instant(), sequence);
        verdicts.get(step.verdict()).increment();
        List<CompletableFuture<Void>> scheduled = new ArrayList<>(step.deadlines().size());
        for (CommandDeadline deadline : step.deadlines()) {
            scheduled.add(schedule(state.table.tenant(), deadline));
        }
        CompletableFuture<Void> written = CompletableFuture.allOf(scheduled.toArray(CompletableFuture[]::new));
        if (!step.changed()) {
            return written.thenApply(done -> new Decided(step, current));
        }
        CommandRecord next = step.record();
        return written.thenCompose(done -> state.table.put(next.commandId(), next)).thenCompose(done -> {
            state.index(next);
            if (current == null || current.state() != next.state()) {
                transitions.get(next.state()).increment();
            }
            return resendIfRaced(state, current, next).thenApply(sent -> new Decided(step, next));
        });
    }

    /**
     * A dispatch recorded just now (the command's first, or the first after the device's word on it) whose device's connection
     * was heard of first: the re-dispatch that connection called for could not include it, and the replica may have read it
     * before it held the device, so it is written again ({@link PendingCommands#racedConnection}).
     */
    private CompletableFuture<Void> resendIfRaced(Tenant state, CommandRecord before, CommandRecord now) {
        boolean dispatchedNow = now.dispatch() != null && (before == null || before.orphan());
        boolean pending = now.state() == CommandState.QUEUED || now.state() == CommandState.DELIVERED;
        if (!dispatchedNow || !pending || !PendingCommands.racedConnection(now.dispatch(), state.connections.get(now.deviceId()))) {
            return CompletableFuture.completedFuture(null);
        }
        resent.increment();
        LOG.log(System.Logger.Level.DEBUG, "{0}/{1}: command {2} dispatched around its device''s connection: sent again", now.tenant(),
                now.deviceId(), now.commandId());
        return publisher.publish(Events.newEvent(EventType.COMMAND_DISPATCHED, SOURCE, now.tenant(), now.deviceId(), now.dispatch()).build());
    }

    /**
     * A deadline as a delayed message. Its id names the command, the kind and the due time: a deadline scheduled twice (a
     * redelivered event decided again) is one event to the lifecycle, whose copies change nothing.
     */
    private CompletableFuture<Void> schedule(String tenant, CommandDeadline deadline) {
        io.cloudevents.CloudEvent timer = Events.newEvent(EventType.COMMAND_DEADLINE, SOURCE, tenant, deadline.deviceId(), deadline)
                .withId("deadline:" + deadline.kind().name().toLowerCase(java.util.Locale.ROOT) + ":" + deadline.commandId() + ":"
                        + deadline.due().toEpochMilli())
                .build();
        return publisher.publishAt(timer, deadline.due());
    }

    /**
     * Announces {@code batchId}'s outcome once its last member's end is written: at most once per process; a redelivered
     * member event after a crash announces it again (at-least-once).
     */
    private CompletableFuture<Void> completeBatch(Tenant state, String batchId) {
        if (state.announced.contains(batchId)) {
            return CompletableFuture.completedFuture(null);
        }
        Optional<CommandBatchCompleted> outcome = BatchOutcome.of(batchId, state.membersOf(batchId));
        if (outcome.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        String tenant = state.table.tenant();
        return publisher.publish(Events.newEvent(EventType.COMMAND_BATCH_COMPLETED, SOURCE, tenant, null, outcome.get()).build())
                .thenRun(() -> {
                    state.announced.add(batchId);
                    batchesCompleted.increment();
                    LOG.log(System.Logger.Level.DEBUG, "{0}: batch {1} completed, {2}", tenant, batchId,
                            outcome.get().succeeded() ? "all succeeded" : "failed: " + outcome.get().failed());
                });
    }

    private static String commandKey(String tenant, String commandId) {
        return "c\n" + tenant + "\n" + commandId;
    }

    private static String batchKey(String tenant, String batchId) {
        return "b\n" + tenant + "\n" + batchId;
    }

    /** A tenant's table and its indexes, once the table has been read. */
    private static final class Tenant {
        final StateTable<CommandRecord> table;
        final Map<String, Set<String>> byDevice = new ConcurrentHashMap<>();
        final Map<String, Set<String>> byBatch = new ConcurrentHashMap<>();
        final Set<String> announced = ConcurrentHashMap.newKeySet();
        /** Each device's newest connection (its time) heard of since the tenant opened here. */
        final Map<String, Instant> connections = new ConcurrentHashMap<>();
        final AtomicLong sequence = new AtomicLong();

        Tenant(StateTable<CommandRecord> table) {
            this.table = table;
        }

        void index(CommandRecord record) {
            byDevice.computeIfAbsent(record.deviceId(), device -> ConcurrentHashMap.newKeySet()).add(record.commandId());
            if (record.batchId() != null) {
                byBatch.computeIfAbsent(record.batchId(), batch -> ConcurrentHashMap.newKeySet()).add(record.commandId());
            }
            sequence.accumulateAndGet(record.sequence(), Math::max);
        }

        void unindex(CommandRecord record) {
            byDevice.computeIfPresent(record.deviceId(), (device, ids) -> ids.remove(record.commandId()) && ids.isEmpty() ? null : ids);
            if (record.batchId() != null) {
                byBatch.computeIfPresent(record.batchId(), (batch, ids) -> {
                    ids.remove(record.commandId());
                    if (ids.isEmpty()) {
                        announced.remove(batch);
                        return null;
                    }
                    return ids;
                });
            }
        }

        /** Whether {@code record} is a member of a batch not every member of which has ended (its outcome still to come). */
        boolean batchRunning(CommandRecord record) {
            return record.batchId() != null && membersOf(record.batchId()).stream().anyMatch(member -> !member.state().terminal());
        }

        Collection<CommandRecord> recordsOf(String deviceId) {
            return records(byDevice.getOrDefault(deviceId, Set.of()));
        }

        Collection<CommandRecord> membersOf(String batchId) {
            return records(byBatch.getOrDefault(batchId, Set.of()));
        }

        private Collection<CommandRecord> records(Set<String> ids) {
            List<CommandRecord> records = new ArrayList<>(ids.size());
            for (String id : ids) {
                table.get(id).ifPresent(records::add);
            }
            return records;
        }
    }

    private CompletableFuture<Tenant> tenant(String tenant) {
        return tenants.of(tenant);
    }

    private CompletableFuture<Tenant> open(String tenant) {
        long started = System.nanoTime();
        publisher.prepare(tenant, EventType.COMMAND_DEADLINE);
        return commands.table(tenant).thenApply(table -> {
            Tenant state = new Tenant(table);
            table.forEachAndListen((commandId, record) -> {
                if (record != null) {
                    state.index(record);
                }
            });
            LOG.log(System.Logger.Level.INFO, "tenant {0}: {1} commands, {2} devices, in {3} ms", tenant, table.size(), state.byDevice.size(),
                    (System.nanoTime() - started) / 1_000_000);
            return state;
        });
    }
}
