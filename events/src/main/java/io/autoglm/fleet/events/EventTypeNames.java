package io.autoglm.fleet.events;

/**
 * Every {@link EventType}'s {@code type} string as a compile-time constant, for the places that need one
 * (annotations such as Funqy's {@code @CloudEventMapping(trigger = ...)}). {@code EventTypeNamesTest}
 * keeps each equal to its catalogue entry; everywhere else, use {@link EventType#type()}.
 */
public final class EventTypeNames {

    public static final String DEVICE_REGISTRATION_REQUESTED = EventType.TYPE_PREFIX + "device.registration.requested";
    public static final String DEVICE_REGISTERED = EventType.TYPE_PREFIX + "device.registered";
    public static final String DEVICE_REGISTRATION_REJECTED = EventType.TYPE_PREFIX + "device.registration.rejected";
    public static final String DEVICE_DEREGISTRATION_REQUESTED = EventType.TYPE_PREFIX + "device.deregistration.requested";
    public static final String DEVICE_DEREGISTERED = EventType.TYPE_PREFIX + "device.deregistered";
    public static final String DEVICE_DEREGISTRATION_REJECTED = EventType.TYPE_PREFIX + "device.deregistration.rejected";
    public static final String DEVICE_HEARTBEAT = EventType.TYPE_PREFIX + "device.heartbeat";
    public static final String DEVICE_HEARTBEAT_REJECTED = EventType.TYPE_PREFIX + "device.heartbeat.rejected";
    public static final String DEVICE_STATUS_CHANGED = EventType.TYPE_PREFIX + "device.status.changed";
    public static final String DEVICE_LIVENESS_DEADLINE = EventType.TYPE_PREFIX + "device.liveness.deadline";
    public static final String COMMAND_REQUESTED = EventType.TYPE_PREFIX + "command.requested";
    public static final String COMMAND_DISPATCHED = EventType.TYPE_PREFIX + "command.dispatched";
    public static final String COMMAND_REJECTED = EventType.TYPE_PREFIX + "command.rejected";
    public static final String COMMAND_BATCH_REQUESTED = EventType.TYPE_PREFIX + "command.batch.requested";
    public static final String COMMAND_BATCH_DISPATCHED = EventType.TYPE_PREFIX + "command.batch.dispatched";
    public static final String COMMAND_BATCH_REJECTED = EventType.TYPE_PREFIX + "command.batch.rejected";
    public static final String COMMAND_BATCH_COMPLETED = EventType.TYPE_PREFIX + "command.batch.completed";
    public static final String COMMAND_DELIVERED = EventType.TYPE_PREFIX + "command.delivered";
    public static final String COMMAND_ACCEPTED = EventType.TYPE_PREFIX + "command.accepted";
    public static final String COMMAND_PROGRESS = EventType.TYPE_PREFIX + "command.progress";
    public static final String COMMAND_COMPLETED = EventType.TYPE_PREFIX + "command.completed";
    public static final String COMMAND_FAILED = EventType.TYPE_PREFIX + "command.failed";
    public static final String COMMAND_DECLINED = EventType.TYPE_PREFIX + "command.declined";
    public static final String COMMAND_CANCEL_REQUESTED = EventType.TYPE_PREFIX + "command.cancel.requested";
    public static final String COMMAND_CANCEL_REJECTED = EventType.TYPE_PREFIX + "command.cancel.rejected";
    public static final String COMMAND_TIMED_OUT = EventType.TYPE_PREFIX + "command.timed.out";
    public static final String COMMAND_EXPIRED = EventType.TYPE_PREFIX + "command.expired";
    public static final String COMMAND_CANCELED = EventType.TYPE_PREFIX + "command.canceled";
    public static final String COMMAND_DEADLINE = EventType.TYPE_PREFIX + "command.deadline";
    public static final String DEVICE_CONNECTED = EventType.TYPE_PREFIX + "device.connected";
    public static final String DEVICE_DISCONNECTED = EventType.TYPE_PREFIX + "device.disconnected";
    public static final String DEVICE_CREDENTIAL_ISSUED = EventType.TYPE_PREFIX + "device.credential.issued";
    public static final String GATEWAY_ERROR = EventType.TYPE_PREFIX + "gateway.error";
    public static final String GATEWAY_DRAINING = EventType.TYPE_PREFIX + "gateway.draining";
    public static final String INFERENCE_REQUESTED = EventType.TYPE_PREFIX + "inference.requested";
    public static final String INFERENCE_DISPATCHED = EventType.TYPE_PREFIX + "inference.dispatched";
    public static final String INFERENCE_COMPLETED = EventType.TYPE_PREFIX + "inference.completed";
    public static final String INFERENCE_FAILED = EventType.TYPE_PREFIX + "inference.failed";
    public static final String MODEL_VERSION_PUBLISHED = EventType.TYPE_PREFIX + "model.version.published";
    public static final String MODEL_VERSION_PROMOTED = EventType.TYPE_PREFIX + "model.version.promoted";
    public static final String TASK_REQUESTED = EventType.TYPE_PREFIX + "task.requested";
    public static final String TASK_CANCEL_REQUESTED = EventType.TYPE_PREFIX + "task.cancel.requested";
    public static final String TASK_CONFIRMATION_GIVEN = EventType.TYPE_PREFIX + "task.confirmation.given";
    public static final String TASK_CONFIRMATION_REFUSED = EventType.TYPE_PREFIX + "task.confirmation.refused";
    public static final String TASK_TAKEOVER_DONE = EventType.TYPE_PREFIX + "task.takeover.done";
    public static final String TASK_ASSIGNED = EventType.TYPE_PREFIX + "task.assigned";
    public static final String TASK_STEP_COMPLETED = EventType.TYPE_PREFIX + "task.step.completed";
    public static final String TASK_CONFIRMATION_REQUESTED = EventType.TYPE_PREFIX + "task.confirmation.requested";
    public static final String TASK_TAKEOVER_REQUESTED = EventType.TYPE_PREFIX + "task.takeover.requested";
    public static final String TASK_HANDED_OVER = EventType.TYPE_PREFIX + "task.handed.over";
    public static final String TASK_COMPLETED = EventType.TYPE_PREFIX + "task.completed";
    public static final String TASK_FAILED = EventType.TYPE_PREFIX + "task.failed";
    public static final String TASK_CANCELED = EventType.TYPE_PREFIX + "task.canceled";
    public static final String TASK_CANCEL_REJECTED = EventType.TYPE_PREFIX + "task.cancel.rejected";
    public static final String TASK_TIMER = EventType.TYPE_PREFIX + "task.timer";

    private EventTypeNames() {
    }
}
