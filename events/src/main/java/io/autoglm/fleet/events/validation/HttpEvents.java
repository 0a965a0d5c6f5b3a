package io.autoglm.fleet.events.validation;

import io.autoglm.fleet.events.Problem;
import io.cloudevents.core.v1.CloudEventV1;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The reading side of the CloudEvents HTTP binding for every HTTP edge of the system (the ingress
 * sink, the functions): picks binary, structured or batch mode from the request and validates
 * each event. Header names are case-insensitive in HTTP, so {@code ce-*} names are lower-cased;
 * values are percent-decoded as the binding requires.
 */
public final class HttpEvents {

    public static final String STRUCTURED = "application/cloudevents+json";
    public static final String BATCH = "application/cloudevents-batch+json";
    public static final String HEADER_PREFIX = "ce-";
    private static final String CONTENT_TYPE = "content-type";

    private HttpEvents() {
    }

    /** Which of the binding's three modes a request uses, by its Content-Type. */
    public enum Mode {
        BINARY,
        STRUCTURED,
        BATCH;

        public static Mode of(String contentType) {
            String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
            if (type.startsWith(HttpEvents.BATCH)) {
                return BATCH;
            }
            if (type.startsWith("application/cloudevents")) {
                return STRUCTURED;
            }
            return BINARY;
        }
    }

    /**
     * Reads the events of one request: a single entry for binary and structured mode, one per
     * element for batch mode.
     *
     * @param headers every request header (name, value), in any letter case
     */
    public static List<Validation> read(EventValidator validator, Iterable<Map.Entry<String, String>> headers, byte[] body) {
        Map<String, String> attributes = new HashMap<>();
        String contentType = null;
        for (Map.Entry<String, String> header : headers) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.equals(CONTENT_TYPE)) {
                contentType = header.getValue();
            } else if (name.startsWith(HEADER_PREFIX) && name.length() > HEADER_PREFIX.length()) {
                attributes.put(name.substring(HEADER_PREFIX.length()), percentDecode(header.getValue()));
            }
        }
        switch (Mode.of(contentType)) {
            case BATCH:
                return validator.validateBatch(body);
            case STRUCTURED:
                if (!contentType.toLowerCase(Locale.ROOT).startsWith(STRUCTURED)) {
                    return List.of(Validation.invalid(List.of(new Problem("content-type", "event format '" + contentType
                            + "' is not supported: use " + STRUCTURED + " or binary mode"))));
                }
                return List.of(validator.validateStructured(body));
            default:
                if (attributes.isEmpty()) {
                    return List.of(Validation.invalid(List.of(new Problem("", "the request is not a CloudEvent: send binary "
                            + "mode (ce-specversion, ce-id, ce-source, ce-type headers) or Content-Type: " + STRUCTURED))));
                }
                if (contentType != null) {
                    attributes.put(CloudEventV1.DATACONTENTTYPE, contentType);
                }
                return List.of(validator.validateBinary(attributes, body));
        }
    }

    /** Decodes {@code %XX} escapes as UTF-8, leaving anything else as it is. */
    static String percentDecode(String value) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            if (c == '%' && i + 2 < value.length() && isHex(value.charAt(i + 1)) && isHex(value.charAt(i + 2))) {
                bytes.write(Integer.parseInt(value.substring(i + 1, i + 3), 16));
                i += 3;
            } else {
                byte[] encoded = new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
                i += Character.charCount(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }
}
