package io.autoglm.fleet.events.pulsar;

import io.autoglm.fleet.events.Extensions;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.message.MessageWriter;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.core.v1.CloudEventV1;
import io.cloudevents.rw.CloudEventRWException;
import io.cloudevents.rw.CloudEventWriter;
import io.cloudevents.types.Time;
import org.apache.pulsar.client.api.TypedMessageBuilder;

import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * Writes a CloudEvent into a Pulsar {@link TypedMessageBuilder}. Besides the attributes, it sets the
 * message key from {@code partitionkey} (Key_Shared ordering per device) and the event time from
 * {@code time}, in both modes.
 */
final class PulsarMessageWriter
        implements MessageWriter<CloudEventWriter<TypedMessageBuilder<byte[]>>, TypedMessageBuilder<byte[]>>,
        CloudEventWriter<TypedMessageBuilder<byte[]>> {

    private final TypedMessageBuilder<byte[]> builder;

    PulsarMessageWriter(TypedMessageBuilder<byte[]> builder) {
        this.builder = Objects.requireNonNull(builder, "builder");
    }

    @Override
    public CloudEventWriter<TypedMessageBuilder<byte[]>> create(SpecVersion version) {
        builder.property(PulsarProperties.SPEC_VERSION, version.toString());
        return this;
    }

    @Override
    public PulsarMessageWriter withContextAttribute(String name, String value) throws CloudEventRWException {
        builder.property(PulsarProperties.propertyOf(name), value);
        if (name.equals(Extensions.PARTITION_KEY)) {
            builder.key(value);
        }
        return this;
    }

    @Override
    public PulsarMessageWriter withContextAttribute(String name, OffsetDateTime value) throws CloudEventRWException {
        if (name.equals(CloudEventV1.TIME)) {
            builder.eventTime(value.toInstant().toEpochMilli());
        }
        return withContextAttribute(name, Time.writeTime(name, value));
    }

    @Override
    public TypedMessageBuilder<byte[]> end(CloudEventData data) throws CloudEventRWException {
        builder.value(data.toBytes());
        return builder;
    }

    @Override
    public TypedMessageBuilder<byte[]> end() {
        builder.value(new byte[0]);
        return builder;
    }

    @Override
    public TypedMessageBuilder<byte[]> writeStructured(CloudEvent event, String formatType) {
        EventFormat format = EventFormatProvider.getInstance().resolveFormat(formatType);
        if (format == null) {
            throw new IllegalArgumentException("no CloudEvents format '" + formatType + "' on the classpath");
        }
        return writeStructured(event, format);
    }

    @Override
    public TypedMessageBuilder<byte[]> writeStructured(CloudEvent event, EventFormat format) {
        Object partitionKey = event.getExtension(Extensions.PARTITION_KEY);
        if (partitionKey != null) {
            builder.key(partitionKey.toString());
        }
        if (event.getTime() != null) {
            builder.eventTime(event.getTime().toInstant().toEpochMilli());
        }
        return setEvent(format, format.serialize(event));
    }

    @Override
    public TypedMessageBuilder<byte[]> setEvent(EventFormat format, byte[] value) throws CloudEventRWException {
        builder.property(PulsarProperties.CONTENT_TYPE, format.serializedContentType());
        builder.value(value);
        return builder;
    }
}
