package io.autoglm.fleet.agent;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.command.CommandCompleted;
import io.autoglm.fleet.events.command.CommandDeclined;
import io.autoglm.fleet.events.command.CommandEnded;
import io.autoglm.fleet.events.command.CommandFailed;
import io.autoglm.fleet.events.command.CommandFailureReason;
import io.autoglm.fleet.events.command.CommandRecord;
import io.autoglm.fleet.events.command.CommandState;
import io.autoglm.fleet.events.command.CommandTimings;
import io.autoglm.fleet.events.command.Observation;
import io.autoglm.fleet.events.inference.AgentStepResult;
import io.autoglm.fleet.events.inference.FailureReason;
import io.autoglm.fleet.events.inference.InferenceCompleted;
import io.autoglm.fleet.events.inference.InferenceFailed;
import io.autoglm.fleet.events.task.TaskAnswer;
import io.autoglm.fleet.events.task.TaskCancelRequested;
import io.autoglm.fleet.events.task.TaskRefs;
import io.autoglm.fleet.events.task.TaskRequested;
import io.autoglm.fleet.events.task.TaskTimer;

import java.util.Objects;

/**
 * One thing that happened to one task, as {@link TaskSession} takes it. Each names what it answers (a placement, a command,
 * an inference request, a timer's ref, a step) so that a copy, a late answer or an answer to an older step is told apart
 * from the one the task waits on. A closed set: every case is decided.
 */
public sealed interface TaskInput {

    /** The task it concerns. */
    String taskId();

    /** {@code task.requested}, with the event's tenant. */
    record Requested(String tenant, TaskRequested request) implements TaskInput {
        public Requested {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(request, "request");
        }

        public String taskId() {
            return request.taskId();
        }
    }

    /** The router reserved {@code deviceId} for the task, for {@code reason}. */
    record Placed(String taskId, String placementId, String deviceId, String reason) implements TaskInput {
        public Placed {
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(placementId, "placementId");
            Objects.requireNonNull(deviceId, "deviceId");
        }
    }

    /** No device qualifies for the task; {@code reason} says why (the router's words). */
    record NotPlaced(String taskId, String placementId, String reason) implements TaskInput {
        public NotPlaced {
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(placementId, "placementId");
        }
    }

    /**
     * How a command the session sent ended: its terminal state, the device's output and observation (SUCCEEDED), why it
     * failed otherwise ({@code failure} for a FAILED one, {@code detail} in words), and the device's timings.
     */
    record CommandOutcome(String commandId, String deviceId, CommandState state, String output, Observation observation,
            CommandFailureReason failure, String detail, CommandTimings timings) implements TaskInput {
        public CommandOutcome {
            Objects.requireNonNull(commandId, "commandId");
            Objects.requireNonNull(deviceId, "deviceId");
            Objects.requireNonNull(state, "state");
            if (!state.terminal()) {
                throw new IllegalArgumentException("a command's outcome is a terminal state, not " + state);
            }
        }

        /** The task of the command; {@code IllegalArgumentException} for a command no task sent. */
        public String taskId() {
            return TaskRefs.taskOf(commandId).orElseThrow(() -> new IllegalArgumentException(commandId + " is not a task's command"));
        }

        public static CommandOutcome of(CommandCompleted completed) {
            return new CommandOutcome(completed.commandId(), completed.deviceId(), CommandState.SUCCEEDED, completed.output(),
                    completed.observation(), null, completed.output(), completed.timings());
        }

        public static CommandOutcome of(CommandFailed failed) {
            return new CommandOutcome(failed.commandId(), failed.deviceId(), CommandState.FAILED, null, null, failed.reason(),
                    failed.reason() + (failed.message() == null ? "" : ": " + failed.message()), failed.timings());
        }

        public static CommandOutcome of(CommandDeclined declined) {
            return new CommandOutcome(declined.commandId(), declined.deviceId(), CommandState.REJECTED, null, null, null,
                    declined.reason() + (declined.message() == null ? "" : ": " + declined.message()), null);
        }

        /** A timed out, expired or canceled command. */
        public static CommandOutcome of(CommandEnded ended) {
            return new CommandOutcome(ended.commandId(), ended.deviceId(), ended.state(), null, null, null, ended.reason(), null);
        }

        /** An ended command's row of the command state table ({@code detail} there begins with a FAILED one's reason). */
        public static CommandOutcome of(CommandRecord record) {
            CommandCompleted result = record.result();
            CommandFailureReason failure = null;
            if (record.state() == CommandState.FAILED && record.detail() != null) {
                for (CommandFailureReason reason : CommandFailureReason.values()) {
                    if (record.detail().startsWith(reason.name())) {
                        failure = reason;
                    }
                }
            }
            return new CommandOutcome(record.commandId(), record.deviceId(), record.state(), result == null ? null : result.output(),
                    result == null ? null : result.observation(), failure, result == null ? record.detail() : result.output(),
                    result == null ? null : result.timings());
        }
    }

    /** The agent model answered the step's inference request: an action, or a reply that is not one. */
    record ModelReplied(String requestId, AgentStepResult result) implements TaskInput {
        public ModelReplied {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(result, "result");
        }

        public String taskId() {
            return TaskRefs.taskOf(requestId).orElseThrow(() -> new IllegalArgumentException(requestId + " is not a task's inference"));
        }

        /** {@code inference.completed} of an agent step. */
        public static ModelReplied of(InferenceCompleted completed) {
            return new ModelReplied(completed.requestId(), completed.agent());
        }
    }

    /** The step's inference failed. */
    record ModelFailed(String requestId, FailureReason reason, String message) implements TaskInput {
        public ModelFailed {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(reason, "reason");
        }

        public String taskId() {
            return TaskRefs.taskOf(requestId).orElseThrow(() -> new IllegalArgumentException(requestId + " is not a task's inference"));
        }

        public static ModelFailed of(InferenceFailed failed) {
            return new ModelFailed(failed.requestId(), failed.reason(), failed.message());
        }
    }

    /** One of the session's own timers, back as a delayed message. */
    record TimerFired(TaskTimer timer) implements TaskInput {
        public TimerFired {
            Objects.requireNonNull(timer, "timer");
        }

        public String taskId() {
            return timer.taskId();
        }
    }

    /**
     * A person's answer to a paused step: {@code task.confirmation.given} ({@link Kind#CONFIRMED}), {@code
     * task.confirmation.refused} ({@link Kind#REFUSED}) or {@code task.takeover.done} ({@link Kind#TAKEN_OVER}).
     */
    record Answered(Kind kind, TaskAnswer answer) implements TaskInput {

        /** What the person said. */
        public enum Kind {
            CONFIRMED, REFUSED, TAKEN_OVER
        }

        public Answered {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(answer, "answer");
        }

        public String taskId() {
            return answer.taskId();
        }

        /** The answer an event of {@code type} carries; {@code IllegalArgumentException} for a type that is no answer. */
        public static Answered of(EventType type, TaskAnswer answer) {
            Kind kind = switch (type) {
                case TASK_CONFIRMATION_GIVEN -> Kind.CONFIRMED;
                case TASK_CONFIRMATION_REFUSED -> Kind.REFUSED;
                case TASK_TAKEOVER_DONE -> Kind.TAKEN_OVER;
                default -> throw new IllegalArgumentException(type.type() + " is not a person's answer to a task");
            };
            return new Answered(kind, answer);
        }
    }

    record CancelRequested(TaskCancelRequested cancel) implements TaskInput {
        public CancelRequested {
            Objects.requireNonNull(cancel, "cancel");
        }

        public String taskId() {
            return cancel.taskId();
        }
    }

    /**
     * The task's device is gone for good: it went OFFLINE, or it disconnected and did not come back. (Its commands
     * expiring or timing out arrive as their {@link CommandOutcome}.)
     */
    record DeviceLost(String taskId, String deviceId, String why) implements TaskInput {
        public DeviceLost {
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(deviceId, "deviceId");
            Objects.requireNonNull(why, "why");
        }
    }
}
