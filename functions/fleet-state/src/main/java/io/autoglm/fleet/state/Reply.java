package io.autoglm.fleet.state;

import io.autoglm.fleet.events.EventType;

import java.util.Objects;

/**
 * The event a control-plane function answers with, before any transport: its type, payload, tenant and
 * partition key (device id). The Funqy shell turns it into the HTTP reply; an in-process harness publishes it.
 */
public record Reply(EventType type, Object payload, String tenant, String partitionKey) {
    public Reply {
        Objects.requireNonNull(type, "type");
        if (!type.payloadType().isInstance(payload)) {
            throw new IllegalArgumentException(type.type() + " carries " + type.payloadType().getSimpleName() + ", not "
                    + (payload == null ? "null" : payload.getClass().getSimpleName()));
        }
    }
}
