package io.autoglm.fleet.events;

import io.autoglm.fleet.events.command.CommandAccepted;
import io.autoglm.fleet.events.command.CommandBatchCompleted;
import io.autoglm.fleet.events.command.CommandBatchDispatched;
import io.autoglm.fleet.events.command.CommandBatchRequested;
import io.autoglm.fleet.events.command.CommandCancelRequested;
import io.autoglm.fleet.events.command.CommandCompleted;
import io.autoglm.fleet.events.command.CommandDeadline;
import io.autoglm.fleet.events.command.CommandDeclined;
import io.autoglm.fleet.events.command.CommandDelivered;
import io.autoglm.fleet.events.command.CommandDispatched;
import io.autoglm.fleet.events.command.CommandEnded;
import io.autoglm.fleet.events.command.CommandFailed;
import io.autoglm.fleet.events.command.CommandProgress;
import io.autoglm.fleet.events.command.CommandRequested;
import io.autoglm.fleet.events.device.DeviceDeclaration;
import io.autoglm.fleet.events.device.DeviceDeregistered;
import io.autoglm.fleet.events.device.DeviceDeregistrationRequested;
import io.autoglm.fleet.events.device.DeviceHeartbeat;
import io.autoglm.fleet.events.device.DevicePresence;
import io.autoglm.fleet.events.device.DeviceRegistered;
import io.autoglm.fleet.events.device.DeviceStatusChanged;
import io.autoglm.fleet.events.device.LivenessDeadline;
import io.autoglm.fleet.events.inference.InferenceCompleted;
import io.autoglm.fleet.events.inference.InferenceDispatched;
import io.autoglm.fleet.events.inference.InferenceFailed;
import io.autoglm.fleet.events.inference.InferenceRequested;
import io.autoglm.fleet.events.model.ModelVersionPromoted;
import io.autoglm.fleet.events.model.ModelVersionPublished;
import io.autoglm.fleet.events.session.DeviceCredential;
import io.autoglm.fleet.events.session.GatewayDraining;
import io.autoglm.fleet.events.session.GatewayError;
import io.autoglm.fleet.events.task.TaskAnswer;
import io.autoglm.fleet.events.task.TaskAssigned;
import io.autoglm.fleet.events.task.TaskCancelRequested;
import io.autoglm.fleet.events.task.TaskCanceled;
import io.autoglm.fleet.events.task.TaskCompleted;
import io.autoglm.fleet.events.task.TaskFailed;
import io.autoglm.fleet.events.task.TaskHandedOver;
import io.autoglm.fleet.events.task.TaskPaused;
import io.autoglm.fleet.events.task.TaskRequested;
import io.autoglm.fleet.events.task.TaskStepCompleted;
import io.autoglm.fleet.events.task.TaskTimer;

import java.net.URI;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The catalogue of every event type in the system: its CloudEvents {@code type}, payload record,
 * JSON Schema ({@code dataschema}) and topic family. Nothing outside this module spells a type string.
 */
public enum EventType {
    DEVICE_REGISTRATION_REQUESTED("device.registration.requested", DeviceDeclaration.class, EventFamily.DEVICE),
    DEVICE_REGISTERED("device.registered", DeviceRegistered.class, EventFamily.DEVICE),
    DEVICE_REGISTRATION_REJECTED("device.registration.rejected", Rejection.class, EventFamily.DEVICE),
    DEVICE_DEREGISTRATION_REQUESTED("device.deregistration.requested", DeviceDeregistrationRequested.class, EventFamily.DEVICE),
    DEVICE_DEREGISTERED("device.deregistered", DeviceDeregistered.class, EventFamily.DEVICE),
    DEVICE_DEREGISTRATION_REJECTED("device.deregistration.rejected", Rejection.class, EventFamily.DEVICE),
    DEVICE_HEARTBEAT("device.heartbeat", DeviceHeartbeat.class, EventFamily.HEARTBEAT),
    DEVICE_HEARTBEAT_REJECTED("device.heartbeat.rejected", Rejection.class, EventFamily.HEARTBEAT),
    DEVICE_STATUS_CHANGED("device.status.changed", DeviceStatusChanged.class, EventFamily.LIVENESS),
    DEVICE_LIVENESS_DEADLINE("device.liveness.deadline", LivenessDeadline.class, EventFamily.DEADLINE),
    COMMAND_REQUESTED("command.requested", CommandRequested.class, EventFamily.COMMAND),
    COMMAND_DISPATCHED("command.dispatched", CommandDispatched.class, EventFamily.DEVICE_COMMAND),
    COMMAND_REJECTED("command.rejected", Rejection.class, EventFamily.COMMAND),
    COMMAND_BATCH_REQUESTED("command.batch.requested", CommandBatchRequested.class, EventFamily.COMMAND),
    COMMAND_BATCH_DISPATCHED("command.batch.dispatched", CommandBatchDispatched.class, EventFamily.COMMAND),
    COMMAND_BATCH_REJECTED("command.batch.rejected", Rejection.class, EventFamily.COMMAND),
    COMMAND_BATCH_COMPLETED("command.batch.completed", CommandBatchCompleted.class, EventFamily.COMMAND_STATUS),
    COMMAND_DELIVERED("command.delivered", CommandDelivered.class, EventFamily.COMMAND_STATUS),
    COMMAND_ACCEPTED("command.accepted", CommandAccepted.class, EventFamily.COMMAND_STATUS),
    COMMAND_PROGRESS("command.progress", CommandProgress.class, EventFamily.COMMAND_STATUS),
    COMMAND_COMPLETED("command.completed", CommandCompleted.class, EventFamily.COMMAND_STATUS),
    COMMAND_FAILED("command.failed", CommandFailed.class, EventFamily.COMMAND_STATUS),
    COMMAND_DECLINED("command.declined", CommandDeclined.class, EventFamily.COMMAND_STATUS),
    COMMAND_CANCEL_REQUESTED("command.cancel.requested", CommandCancelRequested.class, EventFamily.COMMAND_STATUS),
    COMMAND_CANCEL_REJECTED("command.cancel.rejected", Rejection.class, EventFamily.COMMAND_STATUS),
    COMMAND_TIMED_OUT("command.timed.out", CommandEnded.class, EventFamily.COMMAND_STATUS),
    COMMAND_EXPIRED("command.expired", CommandEnded.class, EventFamily.COMMAND_STATUS),
    /** Told to the device (its command topic), so it drops the command; the state table has it too. */
    COMMAND_CANCELED("command.canceled", CommandEnded.class, EventFamily.DEVICE_COMMAND),
    COMMAND_DEADLINE("command.deadline", CommandDeadline.class, EventFamily.COMMAND_DEADLINE),
    DEVICE_CONNECTED("device.connected", DevicePresence.class, EventFamily.PRESENCE),
    DEVICE_DISCONNECTED("device.disconnected", DevicePresence.class, EventFamily.PRESENCE),
    DEVICE_CREDENTIAL_ISSUED("device.credential.issued", DeviceCredential.class, EventFamily.DEVICE_SESSION),
    GATEWAY_ERROR("gateway.error", GatewayError.class, EventFamily.DEVICE_SESSION),
    GATEWAY_DRAINING("gateway.draining", GatewayDraining.class, EventFamily.DEVICE_SESSION),
    INFERENCE_REQUESTED("inference.requested", InferenceRequested.class, EventFamily.INFERENCE),
    INFERENCE_DISPATCHED("inference.dispatched", InferenceDispatched.class, EventFamily.INFERENCE),
    INFERENCE_COMPLETED("inference.completed", InferenceCompleted.class, EventFamily.INFERENCE),
    INFERENCE_FAILED("inference.failed", InferenceFailed.class, EventFamily.INFERENCE),
    MODEL_VERSION_PUBLISHED("model.version.published", ModelVersionPublished.class, EventFamily.MODEL),
    MODEL_VERSION_PROMOTED("model.version.promoted", ModelVersionPromoted.class, EventFamily.MODEL),
    TASK_REQUESTED("task.requested", TaskRequested.class, EventFamily.TASK),
    TASK_CANCEL_REQUESTED("task.cancel.requested", TaskCancelRequested.class, EventFamily.TASK),
    TASK_CONFIRMATION_GIVEN("task.confirmation.given", TaskAnswer.class, EventFamily.TASK),
    TASK_CONFIRMATION_REFUSED("task.confirmation.refused", TaskAnswer.class, EventFamily.TASK),
    TASK_TAKEOVER_DONE("task.takeover.done", TaskAnswer.class, EventFamily.TASK),
    TASK_ASSIGNED("task.assigned", TaskAssigned.class, EventFamily.TASK_STATUS),
    TASK_STEP_COMPLETED("task.step.completed", TaskStepCompleted.class, EventFamily.TASK_STATUS),
    TASK_CONFIRMATION_REQUESTED("task.confirmation.requested", TaskPaused.class, EventFamily.TASK_STATUS),
    TASK_TAKEOVER_REQUESTED("task.takeover.requested", TaskPaused.class, EventFamily.TASK_STATUS),
    TASK_HANDED_OVER("task.handed.over", TaskHandedOver.class, EventFamily.TASK_STATUS),
    TASK_COMPLETED("task.completed", TaskCompleted.class, EventFamily.TASK_STATUS),
    TASK_FAILED("task.failed", TaskFailed.class, EventFamily.TASK_STATUS),
    TASK_CANCELED("task.canceled", TaskCanceled.class, EventFamily.TASK_STATUS),
    TASK_CANCEL_REJECTED("task.cancel.rejected", Rejection.class, EventFamily.TASK_STATUS),
    TASK_TIMER("task.timer", TaskTimer.class, EventFamily.TASK_TIMER);

    /** Prefix of every type string. */
    public static final String TYPE_PREFIX = "io.autoglm.";
    /** Where the schemas are published; {@code dataschema} is this plus {@code v1/<name>.json}. */
    public static final String SCHEMA_BASE = "https://schemas.autoglm.io/events/";
    private static final String SCHEMA_VERSION = "v1";

    private static final Map<String, EventType> BY_TYPE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(EventType::type, Function.identity()));

    private final String name;
    private final String type;
    private final Class<?> payloadType;
    private final EventFamily family;
    private final URI dataSchema;

    EventType(String name, Class<?> payloadType, EventFamily family) {
        this.name = name;
        this.type = TYPE_PREFIX + name;
        this.payloadType = payloadType;
        this.family = family;
        this.dataSchema = URI.create(SCHEMA_BASE + SCHEMA_VERSION + "/" + name + ".json");
    }

    /** The CloudEvents {@code type} attribute, e.g. {@code io.autoglm.device.heartbeat}. */
    public String type() {
        return type;
    }

    public Class<?> payloadType() {
        return payloadType;
    }

    public EventFamily family() {
        return family;
    }

    /** The {@code dataschema} attribute value for events of this type. */
    public URI dataSchema() {
        return dataSchema;
    }

    /** Classpath location of the JSON Schema, relative to the classpath root. */
    public String schemaResource() {
        return "schemas/" + SCHEMA_VERSION + "/" + name + ".json";
    }

    /**
     * Whether events of this type must carry the {@code tenant} extension. Everything that concerns
     * devices, commands, tasks or inference belongs to a tenant; the model store is shared.
     */
    public boolean tenantScoped() {
        return family != EventFamily.MODEL;
    }

    public static Optional<EventType> fromType(String type) {
        return Optional.ofNullable(BY_TYPE.get(type));
    }
}
