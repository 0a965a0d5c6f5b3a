package io.autoglm.fleet.events;

import io.cloudevents.core.v1.CloudEventV1;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * The CloudEvents type system for attribute values. Transports that carry attributes as strings
 * (binary mode headers, Pulsar message properties) lose the type; the contract's declaration of
 * each extension's type restores it on read, so events round-trip exactly.
 */
public enum ExtensionType {
    STRING,
    INTEGER,
    BOOLEAN,
    URI,
    URI_REF,
    TIMESTAMP,
    BINARY;

    /**
     * Parses the canonical string form of a value of this type.
     *
     * @throws IllegalArgumentException with a sentence naming the expected form
     */
    public Object parse(String value) {
        switch (this) {
            case STRING:
                return value;
            case INTEGER:
                try {
                    return Integer.valueOf(value);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("must be a 32-bit integer, got '" + value + "'");
                }
            case BOOLEAN:
                if (value.equals("true") || value.equals("false")) {
                    return Boolean.valueOf(value);
                }
                throw new IllegalArgumentException("must be true or false, got '" + value + "'");
            case URI:
            case URI_REF:
                try {
                    java.net.URI uri = new java.net.URI(value);
                    if (this == URI && !uri.isAbsolute()) {
                        throw new IllegalArgumentException("must be an absolute URI, got '" + value + "'");
                    }
                    return uri;
                } catch (URISyntaxException e) {
                    throw new IllegalArgumentException("must be a URI reference, got '" + value + "' (" + e.getReason() + ")");
                }
            case TIMESTAMP:
                return Rfc3339.parse(value);
            case BINARY:
                try {
                    return Base64.getDecoder().decode(value);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("must be base64, got '" + value + "'");
                }
            default:
                throw new AssertionError(this);
        }
    }

    /** Type of a CloudEvents context attribute of spec version 1.0, or null for an extension. */
    static ExtensionType ofContextAttribute(String name) {
        switch (name) {
            case CloudEventV1.SOURCE:
                return URI_REF;
            case CloudEventV1.DATASCHEMA:
                return URI;
            case CloudEventV1.TIME:
                return TIMESTAMP;
            case CloudEventV1.ID:
            case CloudEventV1.TYPE:
            case CloudEventV1.SPECVERSION:
            case CloudEventV1.DATACONTENTTYPE:
            case CloudEventV1.SUBJECT:
                return STRING;
            default:
                return null;
        }
    }

    /** Wraps {@link DateTimeParseException}s and shape errors of RFC 3339 timestamps in one message. */
    static final class Rfc3339 {
        private static final java.util.regex.Pattern SHAPE = java.util.regex.Pattern.compile(
                "\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-](\\d{2}):(\\d{2}))");

        private Rfc3339() {
        }

        static OffsetDateTime parse(String value) {
            java.util.regex.Matcher shape = SHAPE.matcher(value);
            if (!shape.matches()) {
                throw new IllegalArgumentException(
                        "must be an RFC 3339 timestamp like 2026-11-21T13:05:00Z, got '" + value + "'");
            }
            if (shape.group(3) != null && (Integer.parseInt(shape.group(3)) > 18 || Integer.parseInt(shape.group(4)) > 59)) {
                throw new IllegalArgumentException("is not a valid RFC 3339 timestamp: '" + value
                        + "' has UTC offset " + shape.group(2) + ", outside -18:00..+18:00");
            }
            try {
                return OffsetDateTime.parse(value);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("is not a valid RFC 3339 timestamp: '" + value + "' ("
                        + e.getMessage().replaceFirst("^Text '.*' could not be parsed: ", "") + ")");
            }
        }
    }
}
