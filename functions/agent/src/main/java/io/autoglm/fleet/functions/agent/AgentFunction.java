package io.autoglm.fleet.functions.agent;

import io.autoglm.fleet.agent.Decision;
import io.autoglm.fleet.agent.TaskInput;
import io.autoglm.fleet.agent.Verdict;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.EventTypeNames;
import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.events.Rejection;
import io.autoglm.fleet.events.command.CommandCompleted;
import io.autoglm.fleet.events.command.CommandDeclined;
import io.autoglm.fleet.events.command.CommandEnded;
import io.autoglm.fleet.events.command.CommandFailed;
import io.autoglm.fleet.events.device.DeviceDeregistered;
import io.autoglm.fleet.events.device.DeviceStatusChanged;
import io.autoglm.fleet.events.device.LivenessStatus;
import io.autoglm.fleet.events.inference.InferenceCompleted;
import io.autoglm.fleet.events.inference.InferenceFailed;
import io.autoglm.fleet.events.task.TaskAnswer;
import io.autoglm.fleet.events.task.TaskCancelRequested;
import io.autoglm.fleet.events.task.TaskRefs;
import io.autoglm.fleet.events.task.TaskRequested;
import io.autoglm.fleet.events.task.TaskTimer;
import io.autoglm.fleet.events.validation.InvalidEventException;
import io.autoglm.fleet.functions.runtime.Replies;
import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEvent;
import io.quarkus.funqy.knative.events.CloudEventMapping;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.function.Supplier;

/**
 * AutoGLM tasks across the fleet as a Funqy Knative function ({@link TaskService} decides, carries out and writes; see
 * {@code TaskSession} for the session's rules). Every input is answered 204: what a task does next is written to its own
 * topics (commands to the device's command topic, inference requests, timers, the task's life events), not a reply.
 *
 * <ul>
 * <li>{@code io.autoglm.task.requested} -> the task placed in-process on a free qualifying device (reserved for it), and its
 * first observation sent; or failed (no device).</li>
 * <li>{@code io.autoglm.task.cancel.requested}, {@code .confirmation.given}, {@code .confirmation.refused},
 * {@code .takeover.done} -> the task canceled (at the next step boundary), or its paused step answered.</li>
 * <li>{@code io.autoglm.task.timer} (its own delayed messages) -> a wait over, a step or a person timed out, the deadline.</li>
 * <li>{@code io.autoglm.command.completed / failed / declined / timed.out / expired / canceled} -> the step's command ended;
 * only commands whose id is a task's ({@code TaskRefs}) are the agent's, others are not looked at.</li>
 * <li>{@code io.autoglm.inference.completed / failed} of an agent step (a task's request id) -> the model's action, or a failed
 * step; others are not looked at.</li>
 * <li>{@code io.autoglm.device.status.changed} to OFFLINE, {@code io.autoglm.device.deregistered} -> the task that holds the
 * device (its reservation) loses it: handed over to another qualifying device, or failed with the reason.</li>
 * </ul>
 * An event without a tenant is answered 400 (the dispatcher dead-letters it); a failure of ours (the table, the broker) 5xx, and
 * the event comes again.
 */
@Singleton
public class AgentFunction {

    @Inject
    TaskService tasks;

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.TASK_REQUESTED)
    public Uni<CloudEvent<Object>> requested(CloudEvent<TaskRequested> event) {
        String tenant = tenant(event);
        return apply(tenant, () -> new TaskInput.Requested(tenant, event.data()));
    }

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.TASK_CANCEL_REQUESTED)
    public Uni<CloudEvent<Object>> cancel(CloudEvent<TaskCancelRequested> event) {
        String tenant = tenant(event);
        TaskInput input = taken(() -> new TaskInput.CancelRequested(event.data()));
        return Uni.createFrom().completionStage(() -> tasks.apply(tenant, input)).map(decided -> cancelRejected(event, tenant, decided));
    }

    /**
     * A cancel that found nothing to cancel (no such task in the tenant, or it had ended) is answered with {@code
     * task.cancel.rejected} saying so; one the task takes (now or at its next step boundary) has no reply.
     */
    static CloudEvent<Object> cancelRejected(CloudEvent<TaskCancelRequested> event, String tenant, Decision decided) {
        if (decided == null || decided.verdict() != Verdict.IGNORED || (decided.record() != null && !decided.record().ended())) {
            return null;
        }
        String taskId = event.data().taskId();
        String why = decided.record() == null ? "no task " + taskId + " in tenant " + tenant + ": nothing to cancel"
                : "task " + taskId + " already ended " + decided.record().state() + " at " + decided.record().updatedAt() + ": nothing to cancel";
        Rejection rejection = new Rejection(event.id(), EventType.TASK_CANCEL_REQUESTED.type(), taskId, List.of(new Problem("data.taskId", why)));
        return Replies.reply(EventType.TASK_CANCEL_REJECTED, rejection, tenant, taskId);
    }

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.TASK_CONFIRMATION_GIVEN)
    public Uni<CloudEvent<Object>> confirmed(CloudEvent<TaskAnswer> event) {
        return apply(tenant(event), () -> TaskInput.Answered.of(EventType.TASK_CONFIRMATION_GIVEN, event.data()));
    }

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.TASK_CONFIRMATION_REFUSED)
    public Uni<CloudEvent<Object>> refused(CloudEvent<TaskAnswer> event) {
        return apply(tenant(event), () -> TaskInput.Answered.of(EventType.TASK_CONFIRMATION_REFUSED, event.data()));
    }

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.TASK_TAKEOVER_DONE)
    public Uni<CloudEvent<Object>> takenOver(CloudEvent<TaskAnswer> event) {
        return apply(tenant(event), () -> TaskInput.Answered.of(EventType.TASK_TAKEOVER_DONE, event.data()));
    }

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.TASK_TIMER)
    public Uni<CloudEvent<Object>> timer(CloudEvent<TaskTimer> event) {
        return apply(tenant(event), () -> new TaskInput.TimerFired(event.data()));
    }

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.COMMAND_COMPLETED)
    public Uni<CloudEvent<Object>> commandCompleted(CloudEvent<CommandCompleted> event) {
        return ifTasks(event.data().commandId(), event, () -> TaskInput.CommandOutcome.of(event.data()));
    }

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.COMMAND_FAILED)
    public Uni<CloudEvent<Object>> commandFailed(CloudEvent<CommandFailed> event) {
        return ifTasks(event.data().commandId(), event, () -> TaskInput.CommandOutcome.of(event.data()));
    }

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.COMMAND_DECLINED)
    public Uni<CloudEvent<Object>> commandDeclined(CloudEvent<CommandDeclined> event) {
        return ifTasks(event.data().commandId(), event, () -> TaskInput.CommandOutcome.of(event.data()));
    }

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.COMMAND_TIMED_OUT)
    public Uni<CloudEvent<Object>> commandTimedOut(CloudEvent<CommandEnded> event) {
        return ifTasks(event.data().commandId(), event, () -> TaskInput.CommandOutcome.of(event.data()));
    }

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.COMMAND_EXPIRED)
    public Uni<CloudEvent<Object>> commandExpired(CloudEvent<CommandEnded> event) {
        return ifTasks(event.data().commandId(), event, () -> TaskInput.CommandOutcome.of(event.data()));
    }

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.COMMAND_CANCELED)
    public Uni<CloudEvent<Object>> commandCanceled(CloudEvent<CommandEnded> event) {
        return ifTasks(event.data().commandId(), event, () -> TaskInput.CommandOutcome.of(event.data()));
    }

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.INFERENCE_COMPLETED)
    public Uni<CloudEvent<Object>> inferenceCompleted(CloudEvent<InferenceCompleted> event) {
        if (event.data().agent() == null) { // a tensor inference, nobody's step
            return Uni.createFrom().nullItem();
        }
        return ifTasks(event.data().requestId(), event, () -> TaskInput.ModelReplied.of(event.data()));
    }

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.INFERENCE_FAILED)
    public Uni<CloudEvent<Object>> inferenceFailed(CloudEvent<InferenceFailed> event) {
        return ifTasks(event.data().requestId(), event, () -> TaskInput.ModelFailed.of(event.data()));
    }

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.DEVICE_STATUS_CHANGED)
    public Uni<CloudEvent<Object>> statusChanged(CloudEvent<DeviceStatusChanged> event) {
        DeviceStatusChanged change = event.data();
        if (change.current() != LivenessStatus.OFFLINE) {
            return Uni.createFrom().nullItem();
        }
        return gone(tenant(event), change.deviceId(), "it went OFFLINE (" + change.reason() + ")");
    }

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.DEVICE_DEREGISTERED)
    public Uni<CloudEvent<Object>> deregistered(CloudEvent<DeviceDeregistered> event) {
        DeviceDeregistered gone = event.data();
        return gone(tenant(event), gone.deviceId(), "it was deregistered" + (gone.reason() == null ? "" : " (" + gone.reason() + ")"));
    }

    private Uni<CloudEvent<Object>> gone(String tenant, String deviceId, String why) {
        return Uni.createFrom().completionStage(() -> tasks.deviceGone(tenant, deviceId, why)).map(decided -> null);
    }

    /** An event about a command or an inference request: the agent's only when {@code ref} is a task's. */
    private Uni<CloudEvent<Object>> ifTasks(String ref, CloudEvent<?> event, Supplier<TaskInput> input) {
        if (TaskRefs.taskOf(ref).isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        return apply(tenant(event), input);
    }

    private Uni<CloudEvent<Object>> apply(String tenant, Supplier<TaskInput> input) {
        TaskInput taken = taken(input);
        return Uni.createFrom().completionStage(() -> tasks.apply(tenant, taken)).map(decided -> null);
    }

    private static TaskInput taken(Supplier<TaskInput> input) {
        try {
            return input.get();
        } catch (IllegalArgumentException e) { // an input the session cannot take: the sender's fault
            throw new InvalidEventException(List.of(new Problem("data", e.getMessage())));
        }
    }

    /** The event's tenant; the contract's validation at the edge has already refused an event without one. */
    private static String tenant(CloudEvent<?> event) {
        String tenant = Replies.tenant(event);
        if (tenant == null) {
            throw new InvalidEventException(List.of(new Problem("tenant", "a task's event needs the tenant extension")));
        }
        return tenant;
    }
}
