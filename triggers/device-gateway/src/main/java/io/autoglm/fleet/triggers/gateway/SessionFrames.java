package io.autoglm.fleet.triggers.gateway;

import com.fasterxml.jackson.core.JsonGenerator;
import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.session.DeviceCredential;
import io.autoglm.fleet.events.session.GatewayDraining;
import io.autoglm.fleet.events.session.GatewayError;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.v1.CloudEventV1;
import io.cloudevents.types.Time;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Objects;

/**
 * What the gateway writes down a socket: CloudEvents in the JSON event format (structured mode, the
 * {@code cloudevents.json} subprotocol), its own frames ({@code gateway.error}, {@code device.credential.issued},
 * {@code gateway.draining}) stamped as this replica's, and the events it relays (commands, registration answers)
 * as they were written.
 */
public final class SessionFrames {

    private final URI source;

    /** @param replica this replica's name, in the {@code source} of its own frames */
    public SessionFrames(String replica) {
        this.source = URI.create("/autoglm/triggers/device-gateway/" + Objects.requireNonNull(replica, "replica"));
    }

    public URI source() {
        return source;
    }

    /**
     * An event as one text frame: the JSON event format, written straight from the event's attributes, with JSON data
     * copied as it is (the SDK's format parses it again to copy it: a command's frame cost five times its size in
     * garbage, on the path every command takes); data of another type, or JSON data that does not start as JSON, in
     * {@code data_base64} as the SDK writes it.
     */
    public static String frame(CloudEvent event) {
        byte[] data = event.getData() == null ? null : event.getData().toBytes();
        StringWriter text = new StringWriter(256 + (data == null ? 0 : data.length));
        try (JsonGenerator json = EventJson.mapper().getFactory().createGenerator(text)) {
            json.writeStartObject();
            json.writeStringField(CloudEventV1.SPECVERSION, event.getSpecVersion().toString());
            json.writeStringField(CloudEventV1.ID, event.getId());
            json.writeStringField(CloudEventV1.SOURCE, event.getSource().toString());
            json.writeStringField(CloudEventV1.TYPE, event.getType());
            if (event.getDataContentType() != null) {
                json.writeStringField(CloudEventV1.DATACONTENTTYPE, event.getDataContentType());
            }
            if (event.getDataSchema() != null) {
                json.writeStringField(CloudEventV1.DATASCHEMA, event.getDataSchema().toString());
            }
            if (event.getSubject() != null) {
                json.writeStringField(CloudEventV1.SUBJECT, event.getSubject());
            }
            if (event.getTime() != null) {
                json.writeStringField(CloudEventV1.TIME, Time.writeTime(event.getTime()));
            }
            for (String name : event.getExtensionNames()) {
                Object value = event.getExtension(name);
                if (value instanceof Integer number) {
                    json.writeNumberField(name, number);
                } else if (value instanceof Boolean flag) {
                    json.writeBooleanField(name, flag);
                } else if (value instanceof byte[] bytes) {
                    json.writeStringField(name, Base64.getEncoder().encodeToString(bytes));
                } else if (value instanceof OffsetDateTime time) {
                    json.writeStringField(name, Time.writeTime(time));
                } else if (value != null) {
                    json.writeStringField(name, value.toString());
                }
            }
            if (data != null) {
                if (isJson(event.getDataContentType()) && startsAsJson(data)) {
                    json.writeFieldName("data");
                    json.writeRawValue(new String(data, StandardCharsets.UTF_8));
                } else {
                    json.writeStringField("data_base64", Base64.getEncoder().encodeToString(data));
                }
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("could not write event " + event.getId() + " as a frame", e);
        }
        return text.toString();
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return true;
        }
        String media = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        return media.equals("application/json") || media.equals("text/json") || media.endsWith("+json");
    }

    /** Whether {@code data} starts as a JSON value does (an object, an array, a string, a number, true, false, null). */
    private static boolean startsAsJson(byte[] data) {
        for (byte b : data) {
            if (b == ' ' || b == '\t' || b == '\n' || b == '\r') {
                continue;
            }
            return b == '{' || b == '[' || b == '"' || b == '-' || (b >= '0' && b <= '9') || b == 't' || b == 'f' || b == 'n';
        }
        return false;
    }

    public String error(Caller caller, GatewayError error) {
        return own(EventType.GATEWAY_ERROR, caller, error);
    }

    public String credential(Caller caller, DeviceCredential credential) {
        return frame(Events.newEvent(EventType.DEVICE_CREDENTIAL_ISSUED, source, caller.tenant(), credential.deviceId(), credential).build());
    }

    public String draining(Caller caller, GatewayDraining draining) {
        return own(EventType.GATEWAY_DRAINING, caller, draining);
    }

    private String own(EventType type, Caller caller, Object payload) {
        String device = caller instanceof Caller.Device d ? d.deviceId() : null;
        return frame(Events.newEvent(type, source, caller.tenant(), device, payload).build());
    }
}
