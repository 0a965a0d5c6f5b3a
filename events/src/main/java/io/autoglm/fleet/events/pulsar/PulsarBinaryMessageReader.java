package io.autoglm.fleet.events.pulsar;

import io.cloudevents.SpecVersion;
import io.cloudevents.core.data.BytesCloudEventData;
import io.cloudevents.core.message.impl.BaseGenericBinaryMessageReaderImpl;

import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * Reads a binary-mode CloudEvent from Pulsar message properties. Attribute names are taken as
 * carried (not lower-cased), so a malformed name is reported rather than silently repaired.
 */
final class PulsarBinaryMessageReader extends BaseGenericBinaryMessageReaderImpl<String, String> {

    private final Map<String, String> properties;

    PulsarBinaryMessageReader(SpecVersion version, Map<String, String> properties, byte[] value) {
        super(version, value != null && value.length > 0 ? BytesCloudEventData.wrap(value) : null);
        this.properties = Objects.requireNonNull(properties, "properties");
    }

    @Override
    protected boolean isContentTypeHeader(String key) {
        return key.equals(PulsarProperties.CONTENT_TYPE);
    }

    @Override
    protected boolean isCloudEventsHeader(String key) {
        return key.length() > PulsarProperties.CE_PREFIX.length() && key.startsWith(PulsarProperties.CE_PREFIX);
    }

    @Override
    protected String toCloudEventsKey(String key) {
        return key.substring(PulsarProperties.CE_PREFIX.length());
    }

    @Override
    protected void forEachHeader(BiConsumer<String, String> fn) {
        properties.forEach(fn);
    }

    @Override
    protected String toCloudEventsValue(String value) {
        return value;
    }
}
