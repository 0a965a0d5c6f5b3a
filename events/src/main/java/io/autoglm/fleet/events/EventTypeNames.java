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
    public static final String INFERENCE_REQUESTED = EventType.TYPE_PREFIX + "inference.requested";
    public static final String INFERENCE_DISPATCHED = EventType.TYPE_PREFIX + "inference.dispatched";
    public static final String INFERENCE_COMPLETED = EventType.TYPE_PREFIX + "inference.completed";
    public static final String INFERENCE_FAILED = EventType.TYPE_PREFIX + "inference.failed";
    public static final String MODEL_VERSION_PUBLISHED = EventType.TYPE_PREFIX + "model.version.published";
    public static final String MODEL_VERSION_PROMOTED = EventType.TYPE_PREFIX + "model.version.promoted";

    private EventTypeNames() {
    }
}
