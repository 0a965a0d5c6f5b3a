package io.autoglm.fleet.functions.runtime;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Extensions;
import io.quarkus.funqy.knative.events.CloudEvent;
import io.quarkus.funqy.knative.events.CloudEventBuilder;

import java.util.HashMap;
import java.util.Map;

/**
 * Builds a function's reply as a Funqy {@link CloudEvent} of a catalogue type, with its
 * {@code dataschema} and the tenant / partition-key extensions carried over from the request.
 */
public final class Replies {

    private Replies() {
    }

    public static <T> CloudEvent<T> reply(EventType type, T payload, String tenant, String partitionKey) {
        if (!type.payloadType().isInstance(payload)) {
            throw new IllegalArgumentException(type.type() + " carries " + type.payloadType().getSimpleName());
        }
        Map<String, String> extensions = new HashMap<>();
        if (tenant != null) {
            extensions.put(Extensions.TENANT, tenant);
        }
        if (partitionKey != null) {
            extensions.put(Extensions.PARTITION_KEY, partitionKey);
        }
        return CloudEventBuilder.create()
                .type(type.type())
                .dataSchema(type.dataSchema().toString())
                .extensions(extensions)
                .build(payload);
    }

    /** The request's tenant extension, or null. */
    public static String tenant(CloudEvent<?> request) {
        return request.extensions() == null ? null : request.extensions().get(Extensions.TENANT);
    }

    /** The request's partition key (device id) extension, or null. */
    public static String partitionKey(CloudEvent<?> request) {
        return request.extensions() == null ? null : request.extensions().get(Extensions.PARTITION_KEY);
    }
}
