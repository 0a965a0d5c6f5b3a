package io.autoglm.fleet.triggers.dispatch;

import io.autoglm.fleet.events.Extensions;
import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.events.validation.EventValidator;
import io.autoglm.fleet.events.validation.HttpEvents;
import io.autoglm.fleet.events.validation.Validation;
import io.autoglm.fleet.triggers.knative.EventAttributes;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a subscriber's reply: a 2xx answer that carries a CloudEvent (binary {@code ce-*} headers or
 * a structured body), checked against the contract like any event entering the system. The reply
 * belongs to the tenant of the event it answers and, unless it says otherwise, to the same device
 * and trace.
 */
public final class ReplyEvents {

    private ReplyEvents() {
    }

    /** The reply in {@code response}: empty when the answer carries no event, else its validation. */
    public static Optional<Validation> read(SubscriberResponse response, EventValidator validator) {
        String contentType = response.header(BinaryHttpForm.CONTENT_TYPE);
        boolean structured = contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/cloudevents");
        if (!structured && response.header(HttpEvents.HEADER_PREFIX + "specversion") == null) {
            return Optional.empty();
        }
        List<Validation> events = HttpEvents.read(validator, response.headers(), response.body());
        if (events.size() != 1) {
            return Optional.of(Validation.invalid(List.of(new Problem("", "a reply is one event, the subscriber answered a batch of "
                    + events.size()))));
        }
        return Optional.of(events.get(0));
    }

    /** The reply with what it inherits from the request: partition key and trace context when it has none. */
    public static CloudEvent inherit(CloudEvent reply, EventAttributes request) {
        CloudEventBuilder builder = null;
        for (String name : List.of(Extensions.PARTITION_KEY, Extensions.TRACEPARENT, Extensions.TRACESTATE)) {
            String inherited = request.get(name);
            if (inherited != null && reply.getExtension(name) == null) {
                builder = builder == null ? CloudEventBuilder.v1(reply) : builder;
                builder.withExtension(name, inherited);
            }
        }
        return builder == null ? reply : builder.build();
    }

    /** The tenant a reply is written for: the request's. */
    public static String tenantOf(EventAttributes request) {
        return request.get(Extensions.TENANT);
    }
}
