package io.autoglm.fleet.events.task;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.autoglm.fleet.events.agent.AgentTurn;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A task's one current state: the row of the tenant's compacted task state table, keyed by task id, written only by the
 * agent function, so that any replica continues any task from its last step.
 *
 * <p>{@code request} is the task as asked. {@code deviceId} is the device reserved for it (null while it is placed, again
 * after a hand-over). {@code sequence} numbers what the task started (placements and steps); {@code stepId} is the current
 * step's id and {@code awaiting} the one ref ({@link TaskRefs}) the task waits on now (the placement, command, inference
 * request, wait or person's answer): an input for anything else is late, a copy, or foreign, and is counted in {@code
 * ignored}, never applied. {@code until} is when the current wait or pause ends.
 *
 * <p>{@code history} is the text the model sees of the earlier steps (the newest {@value #HISTORY_LIMIT}); {@code timeline}
 * every finished step; {@code current} the step under way. {@code unparseableInARow} and {@code modelFailuresInARow}
 * count the model's consecutive bad replies and failures, {@code handOvers} the devices lost and replaced ({@code
 * lostDevices}, never chosen again for the task; {@code handOverReason} why, while the next one is placed).
 * {@code cancelReason} is set once a cancel is asked for and waits for the command in flight. Once ended, {@code failure}
 * says why a FAILED task failed and {@code outcome} says in words how it ended (the finish message, the failure's detail,
 * the cancel's reason).
 */
public record TaskRecord(
        String taskId,
        String tenant,
        TaskRequested request,
        TaskState state,
        TaskPhase phase,
        String deviceId,
        long sequence,
        String stepId,
        String awaiting,
        Instant until,
        int steps,
        List<AgentTurn> history,
        List<StepSummary> timeline,
        StepInProgress current,
        int unparseableInARow,
        int modelFailuresInARow,
        int handOvers,
        List<String> lostDevices,
        String handOverReason,
        String cancelReason,
        Instant deadline,
        TaskFailureReason failure,
        String outcome,
        String raw,
        int ignored,
        Instant createdAt,
        Instant updatedAt) {

    /** The most earlier turns a model is shown (and kept), as the agent step's schema allows. */
    public static final int HISTORY_LIMIT = 100;

    public TaskRecord {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(state, "state");
        history = history == null ? List.of() : List.copyOf(history);
        timeline = timeline == null ? List.of() : List.copyOf(timeline);
        lostDevices = lostDevices == null ? List.of() : List.copyOf(lostDevices);
    }

    /** Whether the task has ended (completed, failed or canceled). */
    @JsonIgnore
    public boolean ended() {
        return state.ended();
    }

    /** Whether a cancel was asked for and waits for the command in flight. */
    @JsonIgnore
    public boolean cancelPending() {
        return cancelReason != null && !ended();
    }
}
