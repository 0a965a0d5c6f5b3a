package io.autoglm.fleet.events;

import io.cloudevents.core.builder.CloudEventBuilder;

import java.net.URI;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The CloudEvents extension attributes this system uses, with their declared types.
 * {@code tenant} is the isolation key, {@code partitionkey} the device id (and the Pulsar message
 * key), {@code traceparent}/{@code tracestate} carry W3C trace context, {@code placement} marks an
 * inference request the router has placed, and the {@code knativeerror*} attributes plus
 * {@code deliveryattempts} annotate events in a dead-letter topic, with {@code errortrigger} (the
 * Trigger that could not deliver the event) and {@code errortopic} (the topic it was read from) saying
 * where a replay puts it back; a replayed event carries {@code replayfor}, the one Trigger that delivers it.
 */
public final class Extensions {

    public static final String TENANT = "tenant";
    public static final String PARTITION_KEY = "partitionkey";
    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";
    public static final String PLACEMENT = "placement";
    public static final String ERROR_DEST = "knativeerrordest";
    public static final String ERROR_CODE = "knativeerrorcode";
    public static final String ERROR_DATA = "knativeerrordata";
    public static final String DELIVERY_ATTEMPTS = "deliveryattempts";
    public static final String ERROR_TRIGGER = "errortrigger";
    public static final String ERROR_TOPIC = "errortopic";
    public static final String REPLAY_FOR = "replayfor";

    /** Names of CloudEvents attributes: lowercase ASCII letters and digits only (spec 1.0, "Attribute Naming"). */
    public static final Pattern VALID_NAME = Pattern.compile("[a-z0-9]+");

    private static final Pattern TENANT_ID = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern TRACEPARENT_FORMAT = Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

    private static final Extensions CONTRACT = new Extensions(Map.ofEntries(
            Map.entry(TENANT, ExtensionType.STRING),
            Map.entry(PARTITION_KEY, ExtensionType.STRING),
            Map.entry(TRACEPARENT, ExtensionType.STRING),
            Map.entry(TRACESTATE, ExtensionType.STRING),
            Map.entry(PLACEMENT, ExtensionType.STRING),
            Map.entry(ERROR_DEST, ExtensionType.STRING),
            Map.entry(ERROR_CODE, ExtensionType.INTEGER),
            Map.entry(ERROR_DATA, ExtensionType.STRING),
            Map.entry(DELIVERY_ATTEMPTS, ExtensionType.INTEGER),
            Map.entry(ERROR_TRIGGER, ExtensionType.STRING),
            Map.entry(ERROR_TOPIC, ExtensionType.STRING),
            Map.entry(REPLAY_FOR, ExtensionType.STRING)));

    private final Map<String, ExtensionType> types;

    private Extensions(Map<String, ExtensionType> types) {
        this.types = Map.copyOf(types);
    }

    /** The extensions of the autoglm-fleet contract. */
    public static Extensions contract() {
        return CONTRACT;
    }

    /** The contract's extensions plus {@code more} (e.g. a producer's own typed extensions). */
    public static Extensions contractAnd(Map<String, ExtensionType> more) {
        Map<String, ExtensionType> all = new java.util.HashMap<>(CONTRACT.types);
        all.putAll(more);
        return new Extensions(all);
    }

    /** The declared type of an extension; empty for extensions the contract does not know (kept as strings). */
    public Optional<ExtensionType> typeOf(String name) {
        return Optional.ofNullable(types.get(name));
    }

    /**
     * Sets an extension from a value of one of the CloudEvents types (String, Integer, Boolean, URI,
     * OffsetDateTime, byte[]), choosing the builder overload that keeps the type.
     */
    public static CloudEventBuilder withTypedExtension(CloudEventBuilder builder, String name, Object value) {
        if (value instanceof Integer) {
            return builder.withExtension(name, (Integer) value);
        } else if (value instanceof Boolean) {
            return builder.withExtension(name, (Boolean) value);
        } else if (value instanceof URI) {
            return builder.withExtension(name, (URI) value);
        } else if (value instanceof OffsetDateTime) {
            return builder.withExtension(name, (OffsetDateTime) value);
        } else if (value instanceof byte[]) {
            return builder.withExtension(name, (byte[]) value);
        }
        return builder.withExtension(name, value.toString());
    }

    /**
     * Checks a value of a known extension beyond its type (formats of tenant and trace context).
     *
     * @return a problem sentence, or empty when the value is fine
     */
    public static Optional<String> checkValue(String name, Object value) {
        String text = String.valueOf(value);
        switch (name) {
            case TENANT:
                return TENANT_ID.matcher(text).matches() ? Optional.empty()
                        : Optional.of("tenant must be 1-63 lowercase letters, digits or '-', got '" + text + "'");
            case PARTITION_KEY:
                return text.isEmpty() ? Optional.of("partitionkey must not be empty") : Optional.empty();
            case TRACEPARENT:
                return TRACEPARENT_FORMAT.matcher(text).matches() ? Optional.empty()
                        : Optional.of("traceparent must be W3C trace context (00-<32 hex>-<16 hex>-<2 hex>), got '" + text + "'");
            case PLACEMENT:
                return text.equals("device") || text.equals("edge") || text.equals("cloud") ? Optional.empty()
                        : Optional.of("placement must be device, edge or cloud, got '" + text + "'");
            default:
                return Optional.empty();
        }
    }
}
