package io.autoglm.fleet.events;

import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.data.BytesCloudEventData;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.core.message.MessageReader;
import io.cloudevents.core.message.StructuredMessageWriter;
import io.cloudevents.rw.CloudEventDataMapper;
import io.cloudevents.rw.CloudEventRWException;
import io.cloudevents.rw.CloudEventWriter;
import io.cloudevents.rw.CloudEventWriterFactory;

import java.net.URI;
import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * A {@link MessageReader} that gives extensions their declared types back. Binary mode carries
 * every attribute as a string and the JSON format only knows strings, numbers and booleans; with
 * the contract's declarations an integer, URI, timestamp or binary extension reads back as it was
 * written, so events round-trip exactly through any transport.
 */
public final class TypedMessageReader implements MessageReader {

    private final MessageReader delegate;
    private final Extensions extensions;

    private TypedMessageReader(MessageReader delegate, Extensions extensions) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.extensions = Objects.requireNonNull(extensions, "extensions");
    }

    public static MessageReader of(MessageReader reader, Extensions extensions) {
        return new TypedMessageReader(reader, extensions);
    }

    @Override
    public Encoding getEncoding() {
        return delegate.getEncoding();
    }

    @Override
    public <T> T read(StructuredMessageWriter<T> writer) throws CloudEventRWException, IllegalStateException {
        return delegate.read(writer);
    }

    @Override
    public <V extends CloudEventWriter<R>, R> R read(CloudEventWriterFactory<V, R> writerFactory,
                                                     CloudEventDataMapper<? extends CloudEventData> mapper) {
        return delegate.read(version -> new TypingWriter<>(writerFactory.create(version), extensions), mapper);
    }

    @Override
    public CloudEvent toEvent(CloudEventDataMapper<? extends CloudEventData> mapper) {
        if (getEncoding() == Encoding.STRUCTURED) {
            return retype(delegate.toEvent(mapper));
        }
        return read(CloudEventBuilder::fromSpecVersion, mapper);
    }

    private CloudEvent retype(CloudEvent event) {
        CloudEventBuilder builder = null;
        if (event.getData() != null && !(event.getData() instanceof BytesCloudEventData)) {
            builder = CloudEventBuilder.v1(event).withData(event.getDataContentType(), event.getDataSchema(),
                    BytesCloudEventData.wrap(event.getData().toBytes()));
        }
        for (String name : event.getExtensionNames()) {
            Object value = event.getExtension(name);
            ExtensionType type = extensions.typeOf(name).orElse(ExtensionType.STRING);
            if (value instanceof String && type != ExtensionType.STRING) {
                builder = builder == null ? CloudEventBuilder.v1(event) : builder;
                Extensions.withTypedExtension(builder, name, parse(type, name, (String) value));
            } else if (type == ExtensionType.STRING && !(value instanceof String)) {
                builder = builder == null ? CloudEventBuilder.v1(event) : builder;
                builder.withExtension(name, value.toString());
            }
        }
        return builder == null ? event : builder.build();
    }

    private static Object parse(ExtensionType type, String name, String value) {
        try {
            return type.parse(value);
        } catch (IllegalArgumentException e) {
            throw CloudEventRWException.newInvalidAttributeValue(name, value, e);
        }
    }

    /** Passes attributes through, turning string values of typed extensions into their types. */
    private static final class TypingWriter<R> implements CloudEventWriter<R> {
        private final CloudEventWriter<R> delegate;
        private final Extensions extensions;

        TypingWriter(CloudEventWriter<R> delegate, Extensions extensions) {
            this.delegate = delegate;
            this.extensions = extensions;
        }

        @Override
        public TypingWriter<R> withContextAttribute(String name, String value) throws CloudEventRWException {
            ExtensionType type = extensions.typeOf(name).orElse(ExtensionType.STRING);
            if (type == ExtensionType.STRING) {
                delegate.withContextAttribute(name, value);
                return this;
            }
            Object typed = parse(type, name, value);
            if (typed instanceof Integer) {
                delegate.withContextAttribute(name, (Integer) typed);
            } else if (typed instanceof Boolean) {
                delegate.withContextAttribute(name, (Boolean) typed);
            } else if (typed instanceof URI) {
                delegate.withContextAttribute(name, (URI) typed);
            } else if (typed instanceof OffsetDateTime) {
                delegate.withContextAttribute(name, (OffsetDateTime) typed);
            } else {
                delegate.withContextAttribute(name, (byte[]) typed);
            }
            return this;
        }

        @Override
        public R end(CloudEventData data) throws CloudEventRWException {
            return delegate.end(data);
        }

        @Override
        public R end() throws CloudEventRWException {
            return delegate.end();
        }
    }
}
