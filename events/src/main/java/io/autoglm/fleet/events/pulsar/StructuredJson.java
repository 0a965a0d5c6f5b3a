package io.autoglm.fleet.events.pulsar;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.ExtensionType;
import io.autoglm.fleet.events.Extensions;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.v1.CloudEventV1;
import io.cloudevents.types.Time;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * The CloudEvents JSON event format (structured mode) as UTF-8, written cheaply for paths every event takes (a
 * gateway pushing commands down sockets): from an event's attributes, or straight from a consumed binary-mode Pulsar
 * message's properties without a {@link CloudEvent} in between; JSON data is copied as it is (the SDK's format parses
 * it to copy it). Data of another type, or JSON data that does not start as JSON, goes in {@code data_base64} as the
 * SDK writes it. What the SDK reads back is the event that was written.
 */
public final class StructuredJson {

    private static final byte[] DATA_FIELD = ",\"data\":".getBytes(StandardCharsets.US_ASCII);
    private static final String STRUCTURED_PREFIX = "application/cloudevents";

    private StructuredJson() {
    }

    /** {@code event} in the JSON format. */
    public static byte[] write(CloudEvent event) {
        byte[] data = event.getData() == null ? null : event.getData().toBytes();
        ByteArrayBuilder out = new ByteArrayBuilder(384 + (data == null ? 0 : data.length));
        try (JsonGenerator json = generator(out)) {
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
            end(json, out, event.getDataContentType(), data);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write event " + event.getId() + " in the JSON format", e);
        }
        return out.toByteArray();
    }

    /**
     * A consumed message in the JSON format: a structured-mode message's value as it is, a binary-mode one's
     * {@code ce_*} properties as its attributes (the contract's integer and boolean extensions as JSON numbers and
     * booleans, every other attribute as the string it was written as: RFC 3339 times, URIs and base64 are the same
     * strings in both), {@code content-type} as {@code datacontenttype}, its value as the data.
     *
     * @throws IllegalArgumentException when the message is no CloudEvent (neither mode's marks)
     */
    public static byte[] write(Map<String, String> properties, byte[] value) {
        return write(properties, value, Extensions.contract());
    }

    /** @see #write(Map, byte[]) with {@code extensions} typed as they declare */
    public static byte[] write(Map<String, String> properties, byte[] value, Extensions extensions) {
        String contentType = properties.get(PulsarProperties.CONTENT_TYPE);
        if (contentType != null && contentType.startsWith(STRUCTURED_PREFIX)) {
            return value;
        }
        if (properties.get(PulsarProperties.SPEC_VERSION) == null) {
            throw new IllegalArgumentException("not a CloudEvent: neither " + PulsarProperties.SPEC_VERSION + " nor a structured content-type");
        }
        ByteArrayBuilder out = new ByteArrayBuilder(384 + (value == null ? 0 : value.length));
        try (JsonGenerator json = generator(out)) {
            json.writeStartObject();
            for (Map.Entry<String, String> property : properties.entrySet()) {
                String name = property.getKey();
                String text = property.getValue();
                if (name.equals(PulsarProperties.CONTENT_TYPE)) {
                    json.writeStringField(CloudEventV1.DATACONTENTTYPE, text);
                } else if (name.startsWith(PulsarProperties.CE_PREFIX) && text != null) {
                    String attribute = name.substring(PulsarProperties.CE_PREFIX.length());
                    ExtensionType type = extensions.typeOf(attribute).orElse(ExtensionType.STRING);
                    if (type == ExtensionType.INTEGER && isInteger(text)) {
                        json.writeFieldName(attribute);
                        json.writeNumber(text);
                    } else if (type == ExtensionType.BOOLEAN && (text.equals("true") || text.equals("false"))) {
                        json.writeBooleanField(attribute, text.equals("true"));
                    } else {
                        json.writeStringField(attribute, text);
                    }
                }
            }
            end(json, out, contentType, value == null || value.length == 0 ? null : value);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write a message in the JSON format", e);
        }
        return out.toByteArray();
    }

    private static JsonGenerator generator(ByteArrayBuilder out) throws IOException {
        JsonGenerator json = EventJson.mapper().getFactory().createGenerator(out);
        // the data and the closing brace are written past the generator (JSON data copied as it is)
        json.disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT);
        return json;
    }

    /** The data field (raw JSON or base64) and the closing brace, after the attributes. */
    private static void end(JsonGenerator json, ByteArrayBuilder out, String contentType, byte[] data) throws IOException {
        if (data != null && !(isJson(contentType) && startsAsJson(data))) {
            json.writeStringField("data_base64", Base64.getEncoder().encodeToString(data));
            data = null;
        }
        json.flush();
        if (data != null) {
            out.write(DATA_FIELD);
            out.write(data);
        }
        out.write('}');
    }

    private static boolean isInteger(String text) {
        try {
            Integer.parseInt(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return true;
        }
        String media = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
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
}
