package io.autoglm.fleet.events.pulsar;

import io.autoglm.fleet.events.Extensions;
import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.events.TypedMessageReader;
import io.autoglm.fleet.events.validation.EventValidator;
import io.autoglm.fleet.events.validation.Validation;
import io.cloudevents.core.message.MessageReader;
import io.cloudevents.core.message.MessageWriter;
import io.cloudevents.core.message.impl.GenericStructuredMessageReader;
import io.cloudevents.core.message.impl.MessageUtils;
import io.cloudevents.core.v1.CloudEventV1;
import io.cloudevents.rw.CloudEventRWException;
import io.cloudevents.rw.CloudEventWriter;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.TypedMessageBuilder;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The CloudEvents protocol binding for Apache Pulsar, shaped like the SDK's Kafka binding.
 *
 * <p>Binary mode: every attribute and extension is a message property {@code ce_<name>},
 * {@code datacontenttype} is the {@code content-type} property, the data is the message value.
 * Structured mode: {@code content-type: application/cloudevents+json} and the whole event in the
 * value. In both modes the message key is the {@code partitionkey} extension (the device id) and
 * the Pulsar event time is {@code time}. CloudEvents has no official Pulsar binding; this is ours.
 *
 * <pre>{@code
 * PulsarMessageFactory.createWriter(producer.newMessage()).writeBinary(event).sendAsync();
 * CloudEvent event = PulsarMessageFactory.createReader(message).toEvent();
 * }</pre>
 */
public final class PulsarMessageFactory {

    private static final String STRUCTURED_PREFIX = "application/cloudevents";
    private static final String STRUCTURED_JSON = "application/cloudevents+json";

    private PulsarMessageFactory() {
    }

    /**
     * A reader for a consumed message; typed extensions of the contract read back with their types.
     *
     * @throws CloudEventRWException if the message is neither a binary nor a structured CloudEvent
     */
    public static MessageReader createReader(Message<byte[]> message) throws CloudEventRWException {
        return createReader(message.getProperties(), message.getValue(), Extensions.contract());
    }

    /** @see #createReader(Message) */
    public static MessageReader createReader(Map<String, String> properties, byte[] value) throws CloudEventRWException {
        return createReader(properties, value, Extensions.contract());
    }

    /** A reader that restores the types of the given extensions. */
    public static MessageReader createReader(Map<String, String> properties, byte[] value, Extensions extensions)
            throws CloudEventRWException {
        MessageReader reader = MessageUtils.parseStructuredOrBinaryMessage(
                () -> properties.get(PulsarProperties.CONTENT_TYPE),
                format -> new GenericStructuredMessageReader(format, value),
                () -> properties.get(PulsarProperties.SPEC_VERSION),
                version -> new PulsarBinaryMessageReader(version, properties, value));
        return TypedMessageReader.of(reader, extensions);
    }

    /**
     * A writer into {@code builder} (from {@code producer.newMessage()} or
     * {@code producer.newMessage(transaction)}); {@code writeBinary} / {@code writeStructured}
     * return the same builder, ready to send.
     */
    public static MessageWriter<CloudEventWriter<TypedMessageBuilder<byte[]>>, TypedMessageBuilder<byte[]>> createWriter(
            TypedMessageBuilder<byte[]> builder) {
        return new PulsarMessageWriter(builder);
    }

    /**
     * Reads and checks a message from outside the system, reporting every problem rather than the
     * first: attribute formats, extension names as carried, known type, and data against its schema.
     */
    public static Validation validate(Message<byte[]> message, EventValidator validator) {
        return validate(message.getProperties(), message.getValue(), validator);
    }

    /** @see #validate(Message, EventValidator) */
    public static Validation validate(Map<String, String> properties, byte[] value, EventValidator validator) {
        String contentType = properties.get(PulsarProperties.CONTENT_TYPE);
        if (contentType != null && contentType.startsWith(STRUCTURED_PREFIX)) {
            if (!contentType.startsWith(STRUCTURED_JSON)) {
                return Validation.invalid(List.of(new Problem(PulsarProperties.CONTENT_TYPE, "content-type '" + contentType
                        + "' is not supported on Pulsar: use " + STRUCTURED_JSON + " or binary mode, one event per message")));
            }
            return validator.validateStructured(value);
        }
        Map<String, String> attributes = new HashMap<>();
        properties.forEach((name, propertyValue) -> {
            if (name.startsWith(PulsarProperties.CE_PREFIX) && name.length() > PulsarProperties.CE_PREFIX.length()) {
                attributes.put(name.substring(PulsarProperties.CE_PREFIX.length()), propertyValue);
            } else if (name.equals(PulsarProperties.CONTENT_TYPE)) {
                attributes.put(CloudEventV1.DATACONTENTTYPE, propertyValue);
            }
        });
        if (attributes.isEmpty() || (attributes.size() == 1 && attributes.containsKey(CloudEventV1.DATACONTENTTYPE))) {
            return Validation.invalid(List.of(new Problem("", "the message is not a CloudEvent: it has neither "
                    + "content-type application/cloudevents+json nor a " + PulsarProperties.SPEC_VERSION + " property")));
        }
        return validator.validateBinary(attributes, value);
    }
}
