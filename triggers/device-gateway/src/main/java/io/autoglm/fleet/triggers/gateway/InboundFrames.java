package io.autoglm.fleet.triggers.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.Extensions;
import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.events.agent.ScreenshotRef;
import io.autoglm.fleet.events.command.CommandCompleted;
import io.autoglm.fleet.events.command.Observation;
import io.autoglm.fleet.events.session.GatewayError;
import io.autoglm.fleet.events.validation.EventValidator;
import io.autoglm.fleet.events.validation.Validation;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.data.BytesCloudEventData;

import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * The frame handling core: what becomes of one text frame a device sent, given who proved to be at the
 * other end ({@link Caller}). A frame is one CloudEvent in the JSON event format; it is written only
 * when it is valid by the contract, of a type the caller may send, and about the caller alone. The
 * gateway stamps the caller's tenant and device id ({@code tenant}, {@code partitionkey}) on it; one that
 * names another tenant or device, in its attributes or its data, is refused as {@code not-yours}. A
 * {@code command.completed} may carry its screenshot inline ({@code data.observation.png}, base64): it is
 * checked here and stored by the caller of {@link #read} before the event is written with the claim check
 * instead ({@link #withScreenshot}). Pure and thread-safe; no refusal carries a stack trace.
 */
public final class InboundFrames {

    public static final String INVALID_JSON = "invalid-json";
    public static final String INVALID_EVENT = "invalid-event";
    public static final String NOT_YOURS = "not-yours";
    public static final String NOT_ALLOWED = "not-allowed";
    public static final String UNKNOWN_TYPE = "unknown-type";
    public static final String TOO_LARGE = "too-large";
    public static final String BINARY_FRAME = "binary-frame";
    public static final String UNAVAILABLE = "unavailable";
    /** Every code of a refusal ({@code gateway.error}). */
    public static final List<String> ERROR_CODES = List.of(INVALID_JSON, INVALID_EVENT, NOT_YOURS, NOT_ALLOWED, UNKNOWN_TYPE, TOO_LARGE,
            BINARY_FRAME, UNAVAILABLE);

    /** RFC 6455 1009: the message is too big to process. */
    public static final short CLOSE_TOO_BIG = 1009;

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private final EventValidator validator;
    private final long maxFrameSize;
    private final long maxEventSize;

    /**
     * @param maxFrameSize largest frame at all (a screenshot inline); larger closes the connection
     * @param maxEventSize largest frame without a screenshot
     */
    public InboundFrames(EventValidator validator, long maxFrameSize, long maxEventSize) {
        this.validator = Objects.requireNonNull(validator, "validator");
        if (maxEventSize > maxFrameSize) {
            throw new IllegalArgumentException("the largest event (" + maxEventSize + " bytes) cannot be over the largest frame ("
                    + maxFrameSize + " bytes)");
        }
        this.maxFrameSize = maxFrameSize;
        this.maxEventSize = maxEventSize;
    }

    /** A binary frame: not read. */
    public FrameOutcome binary() {
        return refuse(BINARY_FRAME, "binary frames are not read: send each event as one JSON text frame "
                + "(structured mode, subprotocol cloudevents.json)", null, List.of());
    }

    /** A text frame of {@code caller}'s. */
    public FrameOutcome read(Caller caller, String frame) {
        Objects.requireNonNull(caller, "caller");
        // the length in chars is at most the length in UTF-8 bytes
        if (frame.length() > maxFrameSize) {
            return new FrameOutcome.Close(CLOSE_TOO_BIG, "frame over " + maxFrameSize + " bytes");
        }
        JsonNode root;
        try {
            root = EventJson.mapper().readTree(frame);
        } catch (JsonProcessingException e) {
            return refuse(INVALID_JSON, "the frame is not JSON (" + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + "): send one CloudEvent as a JSON object per text frame", null, List.of());
        }
        if (root == null || !root.isObject()) {
            return refuse(INVALID_JSON, "a frame must be one CloudEvent as a JSON object (structured mode), got "
                    + (root == null ? "nothing" : root.getNodeType().name().toLowerCase()), null, List.of());
        }
        ObjectNode event = (ObjectNode) root;
        String id = text(event, "id");
        String typeName = text(event, "type");
        if (typeName == null) {
            return refuse(INVALID_EVENT, "the event has no type", id, List.of(new Problem("type", "type is required")));
        }
        EventType type = EventType.fromType(typeName).orElse(null);
        if (type == null) {
            return refuse(UNKNOWN_TYPE, "type '" + typeName + "' is not an event type of this system (types are "
                    + EventType.TYPE_PREFIX + "*, listed in the event catalogue)", id, List.of());
        }
        if (!caller.may(type)) {
            return refuse(NOT_ALLOWED, typeName + " may not be sent on this connection: " + caller.mayWhat(), id, List.of());
        }
        JsonNode observation = event.path("data").path("observation");
        boolean screenshot = type == EventType.COMMAND_COMPLETED && observation.hasNonNull("png");
        if (frame.length() > maxEventSize && !screenshot) {
            return refuse(TOO_LARGE, "the frame is over " + maxEventSize + " bytes, the most an event without a screenshot may be",
                    id, List.of());
        }
        String notYours = whoElse(caller, event);
        if (notYours != null) {
            return refuse(NOT_YOURS, notYours + ": a connection speaks only for its own device, nothing was written", id, List.of());
        }
        event.put(Extensions.TENANT, caller.tenant());
        if (caller instanceof Caller.Device device) {
            event.put(Extensions.PARTITION_KEY, device.deviceId());
        } else {
            event.remove(Extensions.PARTITION_KEY);
        }
        Validation validation = validator.validateStructured(EventJson.write(event));
        if (!validation.isValid()) {
            List<Problem> problems = validation.problems();
            String message = problems.size() == 1 ? problems.get(0).message()
                    : problems.size() + " problems, nothing was written: " + problems.get(0).message() + "; ...";
            return refuse(INVALID_EVENT, message, id, problems);
        }
        if (!screenshot) {
            return new FrameOutcome.Forward(validation.event());
        }
        return inlineScreenshot(validation, id);
    }

    /** The event of {@code stored}, its screenshot replaced by where it now is, checked again. */
    public FrameOutcome withScreenshot(FrameOutcome.StoreScreenshot stored, ScreenshotRef where) {
        CommandCompleted completed = stored.completed();
        CommandCompleted claimCheck = new CommandCompleted(completed.commandId(), completed.deviceId(), completed.output(),
                completed.observation().withScreenshot(where), completed.timings());
        CloudEvent event = CloudEventBuilder.v1(stored.event())
                .withData(Events.JSON, BytesCloudEventData.wrap(EventJson.write(claimCheck))).build();
        Validation validation = validator.validate(event);
        if (!validation.isValid()) {
            return refuse(INVALID_EVENT, validation.summary(), event.getId(), validation.problems());
        }
        return new FrameOutcome.Forward(validation.event());
    }

    private FrameOutcome inlineScreenshot(Validation validation, String id) {
        CommandCompleted completed = validation.payload(CommandCompleted.class);
        Observation observation = completed.observation();
        byte[] png;
        try {
            png = Base64.getDecoder().decode(observation.png());
        } catch (IllegalArgumentException e) {
            return invalidScreenshot(id, "data.observation.png must be the PNG in base64 (" + e.getMessage() + ")");
        }
        if (png.length < 24 || !startsWithSignature(png)) {
            return invalidScreenshot(id, "data.observation.png is not a PNG image (no PNG signature)");
        }
        int width = observation.width() != null ? observation.width() : int32(png, 16);
        int height = observation.height() != null ? observation.height() : int32(png, 20);
        if (width <= 0 || height <= 0) {
            return invalidScreenshot(id, "data.observation.png has no size: send width and height with it");
        }
        return new FrameOutcome.StoreScreenshot(validation.event(), completed, png, width, height);
    }

    private static FrameOutcome invalidScreenshot(String id, String message) {
        return refuse(INVALID_EVENT, message, id, List.of(new Problem("data.observation.png", message)));
    }

    /** Whom else than the caller the event names, in words, or null when it names only the caller. */
    private static String whoElse(Caller caller, ObjectNode event) {
        String tenant = text(event, Extensions.TENANT);
        if (tenant != null && !tenant.equals(caller.tenant())) {
            return "the event names tenant '" + tenant + "' and this connection speaks for tenant '" + caller.tenant() + "'";
        }
        JsonNode data = event.path("data");
        String dataTenant = text(data, "tenant");
        if (dataTenant != null && !dataTenant.equals(caller.tenant())) {
            return "data.tenant is '" + dataTenant + "' and this connection speaks for tenant '" + caller.tenant() + "'";
        }
        if (caller instanceof Caller.Device device) {
            String key = text(event, Extensions.PARTITION_KEY);
            if (key != null && !key.equals(device.deviceId())) {
                return "the event's partitionkey is device '" + key + "' and this connection is device '" + device.deviceId() + "'";
            }
            String dataDevice = text(data, "deviceId");
            if (dataDevice != null && !dataDevice.equals(device.deviceId())) {
                return "data.deviceId is '" + dataDevice + "' and this connection is device '" + device.deviceId() + "'";
            }
        }
        return null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    private static boolean startsWithSignature(byte[] png) {
        for (int i = 0; i < PNG_SIGNATURE.length; i++) {
            if (png[i] != PNG_SIGNATURE[i]) {
                return false;
            }
        }
        return true;
    }

    private static int int32(byte[] bytes, int at) {
        return ((bytes[at] & 0xff) << 24) | ((bytes[at + 1] & 0xff) << 16) | ((bytes[at + 2] & 0xff) << 8) | (bytes[at + 3] & 0xff);
    }

    private static FrameOutcome refuse(String code, String message, String eventId, List<Problem> problems) {
        return new FrameOutcome.Refuse(new GatewayError(code, message, eventId == null || eventId.length() > 256 ? null : eventId,
                problems.size() > 100 ? problems.subList(0, 100) : problems));
    }
}
