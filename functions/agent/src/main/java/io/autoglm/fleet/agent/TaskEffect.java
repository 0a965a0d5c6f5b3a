package io.autoglm.fleet.agent;

import io.autoglm.fleet.events.EventFamily;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.command.CommandDispatched;
import io.autoglm.fleet.events.command.Requirements;
import io.autoglm.fleet.events.command.RoutingStrategy;
import io.autoglm.fleet.events.inference.InferenceRequested;
import io.autoglm.fleet.events.task.TaskTimer;

import java.util.List;
import java.util.Objects;

/**
 * Something a {@link Decision} asks the world to do, before any transport: the agent function's shell carries each out
 * (publishes, schedules, calls the router). A closed set.
 */
public sealed interface TaskEffect {

    /**
     * Find the task a device and reserve it: the router's choice among the devices meeting {@code requirements} by {@code
     * strategy}, or {@code deviceId} alone when the task is pinned to it, never one of {@code exclude} (devices the task
     * lost). Answered by a {@link TaskInput.Placed} or {@link TaskInput.NotPlaced} naming {@code placementId}.
     */
    record Place(String taskId, String placementId, String deviceId, Requirements requirements, RoutingStrategy strategy,
            List<String> exclude) implements TaskEffect {
        public Place {
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(placementId, "placementId");
            exclude = List.copyOf(exclude);
        }
    }

    /** Send a command to the task's device (its command topic); its id is the step's ({@code TaskRefs}), the same if decided again. */
    record SendCommand(CommandDispatched command) implements TaskEffect {
        public SendCommand {
            Objects.requireNonNull(command, "command");
        }
    }

    /** Ask the agent model for the step's action ({@code inference.requested} with an agent step). */
    record RequestInference(InferenceRequested request) implements TaskEffect {
        public RequestInference {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(request.agent(), "an agent step");
        }
    }

    /** Send {@code task.timer} to come back at its due time (a Pulsar delayed message). */
    record ScheduleTimer(TaskTimer timer) implements TaskEffect {
        public ScheduleTimer {
            Objects.requireNonNull(timer, "timer");
        }
    }

    /** The task no longer holds the device: other tasks may be placed on it. */
    record ReleaseDevice(String deviceId, String taskId, String reason) implements TaskEffect {
        public ReleaseDevice {
            Objects.requireNonNull(deviceId, "deviceId");
            Objects.requireNonNull(taskId, "taskId");
        }
    }

    /** Publish one of the task's life events (the {@link EventFamily#TASK_STATUS} family). */
    record Announce(EventType type, Object payload) implements TaskEffect {
        public Announce {
            Objects.requireNonNull(type, "type");
            if (type.family() != EventFamily.TASK_STATUS) {
                throw new IllegalArgumentException(type.type() + " is not a task's life event");
            }
            if (!type.payloadType().isInstance(payload)) {
                throw new IllegalArgumentException(type.type() + " carries " + type.payloadType().getSimpleName() + ", not "
                        + (payload == null ? "null" : payload.getClass().getSimpleName()));
            }
        }
    }
}
