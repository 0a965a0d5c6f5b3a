package io.autoglm.fleet.functions.agent;

import io.autoglm.fleet.agent.Decision;
import io.autoglm.fleet.agent.TaskEffect;
import io.autoglm.fleet.agent.TaskInput;
import io.autoglm.fleet.agent.TaskSession;
import io.autoglm.fleet.agent.Verdict;
import io.autoglm.fleet.events.EventPublisher;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.Extensions;
import io.autoglm.fleet.events.command.CommandDispatched;
import io.autoglm.fleet.events.command.Placement;
import io.autoglm.fleet.events.inference.InferenceRequested;
import io.autoglm.fleet.events.task.TaskRecord;
import io.autoglm.fleet.events.task.TaskState;
import io.autoglm.fleet.events.task.TaskTimer;
import io.autoglm.fleet.state.KeySequencer;
import io.autoglm.fleet.state.StateTable;
import io.autoglm.fleet.state.StateTopic;
import io.cloudevents.CloudEvent;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the agent function does with each input of a task, independent of HTTP: the task's record read from the tenant's task
 * state table, the {@link TaskSession}'s decision on it, what the decision calls for carried out, then the record written.
 *
 * <ul>
 * <li>{@code Place}: in-process ({@link TaskPlacement}), its answer decided at once on the decided record, so that a task
 * requested is placed and observing in one write;</li>
 * <li>{@code SendCommand}: {@code command.dispatched} to the device's command topic (keyed by the device, the command's id as
 * the event's), exactly as the router writes a routed command, for the commands function and the device gateway;</li>
 * <li>{@code RequestInference}: {@code inference.requested} with {@code placement=cloud}, for the inference function (the router
 * leaves a placed request alone);</li>
 * <li>{@code ScheduleTimer}: {@code task.timer} as a Pulsar delayed message;</li>
 * <li>{@code ReleaseDevice}: the reservation tombstoned; {@code Announce}: the task's life event on its task-status topic.</li>
 * </ul>
 * Everything is carried out before the record is written: after a crash in between, the input comes again, is decided again
 * from the same record and gives the same ids, so the commands function and the device take a command once, and a copy of an
 * input the record has moved past is ignored (counted in the record, nothing carried out). One task's inputs are decided one
 * at a time ({@link KeySequencer}); different tasks in parallel.
 */
public final class TaskService {

    static final URI SOURCE = URI.create("/autoglm/functions/agent");
    private static final System.Logger LOG = System.getLogger(TaskService.class.getName());

    private final TaskSession session;
    private final StateTopic<TaskRecord> tasks;
    private final TaskPlacement placement;
    private final EventPublisher publisher;
    private final Clock clock;
    private final KeySequencer sequencer = new KeySequencer();
    private final Map<Verdict, LongAdder> verdicts = new EnumMap<>(Verdict.class);
    private final LongAdder commands = new LongAdder();
    private final LongAdder inferences = new LongAdder();

    public TaskService(TaskSession session, StateTopic<TaskRecord> tasks, TaskPlacement placement, EventPublisher publisher, Clock clock) {
        this.session = Objects.requireNonNull(session, "session");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.placement = Objects.requireNonNull(placement, "placement");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.clock = Objects.requireNonNull(clock, "clock");
        for (Verdict verdict : Verdict.values()) {
            verdicts.put(verdict, new LongAdder());
        }
    }

    /** One input of one task of {@code tenant}; completes with the decision once carried out and written. */
    public CompletableFuture<Decision> apply(String tenant, TaskInput input) {
        Objects.requireNonNull(tenant, "tenant");
        String taskId = input.taskId();
        return tasks.table(tenant).thenCompose(table -> sequencer.submit(tenant + "\n" + taskId, () -> decide(tenant, table, input)));
    }

    /**
     * A device of {@code tenant} is gone ({@code why}: it went OFFLINE, it was deregistered): the task that holds it, if one
     * does, loses it (handed over to another device, or failed). Completes with the task's decision, or null when no task
     * holds the device.
     */
    public CompletableFuture<Decision> deviceGone(String tenant, String deviceId, String why) {
        return placement.reservation(tenant, deviceId).thenCompose(held -> held.isEmpty() ? CompletableFuture.completedFuture(null)
                : apply(tenant, new TaskInput.DeviceLost(held.get().taskId(), deviceId, why)));
    }

    /** The record of task {@code taskId} of {@code tenant}, if there is one. */
    public CompletableFuture<Optional<TaskRecord>> task(String tenant, String taskId) {
        return tasks.table(tenant).thenApply(table -> table.get(taskId));
    }

    /** The tenant's tasks in any of {@code states} (all when empty), newest first. */
    public CompletableFuture<List<TaskRecord>> tasksOf(String tenant, Set<TaskState> states) {
        return tasks.table(tenant).thenApply(table -> {
            List<TaskRecord> found = new ArrayList<>();
            table.forEach((taskId, record) -> {
                if (states.isEmpty() || states.contains(record.state())) {
                    found.add(record);
                }
            });
            found.sort(Comparator.comparing(TaskRecord::createdAt, Comparator.nullsLast(Comparator.reverseOrder()))
                    .thenComparing(TaskRecord::taskId));
            return found;
        });
    }

    /** Inputs by what was made of them. */
    public Map<Verdict, Long> verdicts() {
        Map<Verdict, Long> counts = new EnumMap<>(Verdict.class);
        verdicts.forEach((verdict, count) -> counts.put(verdict, count.sum()));
        return counts;
    }

    /** Commands sent to devices since the start. */
    public long commandsSent() {
        return commands.sum();
    }

    /** Agent-step inference requests sent since the start. */
    public long inferencesRequested() {
        return inferences.sum();
    }

    private CompletableFuture<Decision> decide(String tenant, StateTable<TaskRecord> table, TaskInput input) {
        TaskRecord current = table.get(input.taskId()).orElse(null);
        if (current != null && !current.tenant().equals(tenant)) {
            throw new IllegalStateException("task " + current.taskId() + " of tenant " + current.tenant() + " found in the table of " + tenant);
        }
        Instant now = clock.instant();
        Decision decision = session.decide(current, input, now);
        List<TaskEffect> effects = new ArrayList<>();
        return settle(tenant, decision, effects, now).thenCompose(last -> {
            verdicts.get(decision.verdict()).increment();
            if (decision.verdict() != Verdict.APPLIED) {
                LOG.log(System.Logger.Level.DEBUG, "{0}/{1}: {2} ({3})", tenant, input.taskId(), decision.verdict(), decision.note());
            }
            return carryOut(tenant, last.record(), effects, now)
                    .thenCompose(done -> last.record() == null ? CompletableFuture.completedFuture(null)
                            : table.put(last.record().taskId(), last.record()))
                    .thenCompose(written -> renew(tenant, last.record(), now))
                    .thenApply(renewed -> last);
        });
    }

    /**
     * Collects the decision's effects and answers each placement in-process, deciding its answer on the decided record (a
     * task placed goes on to observe in the same write). Completes with the last decision.
     */
    private CompletableFuture<Decision> settle(String tenant, Decision decision, List<TaskEffect> effects, Instant now) {
        List<TaskEffect.Place> places = decision.effects(TaskEffect.Place.class);
        decision.effects().stream().filter(effect -> !(effect instanceof TaskEffect.Place)).forEach(effects::add);
        if (places.isEmpty()) {
            return CompletableFuture.completedFuture(decision);
        }
        if (places.size() > 1) {
            throw new IllegalStateException("a decision places its task once, not " + places.size() + " times");
        }
        return placement.place(tenant, places.get(0), now).thenCompose(answer -> settle(tenant, session.decide(decision.record(), answer, now),
                effects, now));
    }

    /** Every effect, published in order (one producer per topic keeps it), all of them had by the broker on completion. */
    private CompletableFuture<Void> carryOut(String tenant, TaskRecord record, List<TaskEffect> effects, Instant now) {
        List<CompletableFuture<Void>> done = new ArrayList<>(effects.size());
        OffsetDateTime time = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        for (TaskEffect effect : effects) {
            if (effect instanceof TaskEffect.SendCommand send) {
                CommandDispatched command = send.command();
                commands.increment();
                done.add(publisher.publish(Events.newEvent(EventType.COMMAND_DISPATCHED, SOURCE, tenant, command.deviceId(), command)
                        .withId(command.commandId()).withTime(time).build()));
            } else if (effect instanceof TaskEffect.RequestInference ask) {
                InferenceRequested request = ask.request();
                inferences.increment();
                String device = record == null ? null : record.deviceId();
                done.add(publisher.publish(Events.newEvent(EventType.INFERENCE_REQUESTED, SOURCE, tenant, device, request)
                        .withId(request.requestId()).withTime(time)
                        .withExtension(Extensions.PLACEMENT, Placement.CLOUD.attributeValue()).build()));
            } else if (effect instanceof TaskEffect.ScheduleTimer schedule) {
                done.add(publisher.publishAt(timer(tenant, schedule.timer()), schedule.timer().due()));
            } else if (effect instanceof TaskEffect.ReleaseDevice release) {
                done.add(placement.release(tenant, release));
            } else if (effect instanceof TaskEffect.Announce announce) {
                String taskId = record == null ? null : record.taskId();
                done.add(publisher.publish(Events.newEvent(announce.type(), SOURCE, tenant, taskId, announce.payload()).withTime(time).build()));
            } else {
                throw new IllegalStateException("unhandled effect " + effect);
            }
        }
        return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
    }

    /**
     * A timer as an event. Its id names the kind, what it guards and the due time: scheduled twice (a redelivered input decided
     * again), it is one timer to the session, whose copies change nothing.
     */
    static CloudEvent timer(String tenant, TaskTimer timer) {
        return Events.newEvent(EventType.TASK_TIMER, SOURCE, tenant, timer.taskId(), timer)
                .withId("timer:" + timer.kind().name().toLowerCase(Locale.ROOT) + ":" + timer.ref() + ":" + timer.due().toEpochMilli())
                .build();
    }

    private CompletableFuture<Void> renew(String tenant, TaskRecord record, Instant now) {
        if (record == null || record.ended() || record.deviceId() == null) {
            return CompletableFuture.completedFuture(null);
        }
        return placement.renew(tenant, record.taskId(), record.deviceId(), now);
    }
}
