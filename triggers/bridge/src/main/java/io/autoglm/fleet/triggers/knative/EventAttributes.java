package io.autoglm.fleet.triggers.knative;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.v1.CloudEventV1;
import io.cloudevents.types.Time;

import java.time.OffsetDateTime;

/**
 * A CloudEvent's context attributes by name, as the strings a Trigger filter compares: the core
 * attributes ({@code type}, {@code source}, ...) and the extensions alike. Null when the event does
 * not carry the attribute.
 */
@FunctionalInterface
public interface EventAttributes {

    /** The attribute's value in its canonical string form, or null when absent. */
    String get(String name);

    /** The attributes of a built event. */
    static EventAttributes of(CloudEvent event) {
        return name -> {
            Object value;
            if (CloudEventV1.SPECVERSION.equals(name)) {
                value = event.getSpecVersion().toString();
            } else if (event.getAttributeNames().contains(name)) {
                value = event.getAttribute(name);
            } else {
                value = event.getExtension(name);
            }
            if (value instanceof OffsetDateTime) {
                return Time.writeTime((OffsetDateTime) value);
            }
            return value == null ? null : value.toString();
        };
    }
}
