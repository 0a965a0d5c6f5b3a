package io.autoglm.fleet.events;

import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.data.BytesCloudEventData;

import java.net.URI;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.UUID;

/**
 * Builds and opens the system's CloudEvents: right type, {@code dataschema}, JSON content type,
 * fresh id and time, and the tenant / partition-key extensions, so producers cannot forget one.
 */
public final class Events {

    public static final String JSON = "application/json";

    private Events() {
    }

    /**
     * A builder preset for {@code type} with {@code payload} as data. Add further extensions
     * (e.g. {@code traceparent}) and call {@code build()}.
     *
     * @param tenant       the tenant extension; required for tenant-scoped types
     * @param partitionKey the device id the event is about, or null
     */
    public static CloudEventBuilder newEvent(EventType type, URI source, String tenant, String partitionKey, Object payload) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(source, "source");
        if (!type.payloadType().isInstance(payload)) {
            throw new IllegalArgumentException(type.type() + " carries " + type.payloadType().getSimpleName()
                    + ", not " + (payload == null ? "null" : payload.getClass().getSimpleName()));
        }
        if (type.tenantScoped() && tenant == null) {
            throw new IllegalArgumentException(type.type() + " needs a tenant");
        }
        CloudEventBuilder builder = CloudEventBuilder.v1()
                .withId(UUID.randomUUID().toString())
                .withSource(source)
                .withType(type.type())
                .withTime(OffsetDateTime.now(ZoneOffset.UTC))
                .withDataSchema(type.dataSchema())
                .withData(JSON, BytesCloudEventData.wrap(EventJson.write(payload)));
        if (tenant != null) {
            builder.withExtension(Extensions.TENANT, tenant);
        }
        if (partitionKey != null) {
            builder.withExtension(Extensions.PARTITION_KEY, partitionKey);
        }
        return builder;
    }

    /** The event's data as its payload record, checked against the catalogue. */
    public static <T> T payload(CloudEvent event, Class<T> payloadType) {
        EventType type = typeOf(event);
        if (!payloadType.isAssignableFrom(type.payloadType())) {
            throw new IllegalArgumentException(event.getType() + " carries " + type.payloadType().getSimpleName()
                    + ", not " + payloadType.getSimpleName());
        }
        CloudEventData data = event.getData();
        if (data == null) {
            throw new IllegalArgumentException(event.getType() + " event " + event.getId() + " has no data");
        }
        return EventJson.read(data.toBytes(), payloadType);
    }

    /** The catalogue entry of an event; {@code IllegalArgumentException} for a type the contract does not know. */
    public static EventType typeOf(CloudEvent event) {
        return EventType.fromType(event.getType())
                .orElseThrow(() -> new IllegalArgumentException("unknown event type '" + event.getType() + "'"));
    }

    /** The tenant extension, or null. */
    public static String tenant(CloudEvent event) {
        return extension(event, Extensions.TENANT);
    }

    /** The partition key (device id) extension, or null. */
    public static String partitionKey(CloudEvent event) {
        return extension(event, Extensions.PARTITION_KEY);
    }

    /** An extension as text, or null when the event does not carry it. */
    public static String extension(CloudEvent event, String name) {
        Object value = event.getExtension(name);
        return value == null ? null : value.toString();
    }
}
