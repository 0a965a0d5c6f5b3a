package io.autoglm.fleet.events.pulsar;

import io.cloudevents.core.message.impl.MessageUtils;
import io.cloudevents.core.v1.CloudEventV1;

import java.util.Map;

/**
 * How CloudEvents attributes map onto Pulsar message properties in binary mode, mirroring the
 * SDK's Kafka binding: {@code ce_<attribute>} for every attribute and extension, and
 * {@code content-type} for {@code datacontenttype}.
 */
public final class PulsarProperties {

    public static final String CE_PREFIX = "ce_";
    public static final String CONTENT_TYPE = "content-type";

    static final Map<String, String> ATTRIBUTES_TO_PROPERTIES = MessageUtils.generateAttributesToHeadersMapping(
            name -> name.equals(CloudEventV1.DATACONTENTTYPE) ? CONTENT_TYPE : CE_PREFIX + name);

    public static final String SPEC_VERSION = ATTRIBUTES_TO_PROPERTIES.get(CloudEventV1.SPECVERSION);

    private PulsarProperties() {
    }

    /** The property that carries {@code attribute}, e.g. {@code ce_tenant}. */
    public static String propertyOf(String attribute) {
        String property = ATTRIBUTES_TO_PROPERTIES.get(attribute);
        return property != null ? property : CE_PREFIX + attribute;
    }
}
