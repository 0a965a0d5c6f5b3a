package io.autoglm.fleet.simulator;

import io.cloudevents.CloudEvent;

import java.util.List;
import java.util.Objects;

/**
 * Events the simulator sends to the ingress sink in one request, for one tenant, in one of the HTTP
 * binding's modes: single events in binary or structured mode, bursts as a batch.
 */
record Outgoing(String tenant, Mode mode, List<CloudEvent> events) {

    enum Mode { BINARY, STRUCTURED, BATCH }

    Outgoing {
        Objects.requireNonNull(tenant);
        Objects.requireNonNull(mode);
        events = List.copyOf(events);
        if (mode != Mode.BATCH && events.size() != 1) {
            throw new IllegalArgumentException(mode + " sends one event, got " + events.size());
        }
    }

    static Outgoing binary(String tenant, CloudEvent event) {
        return new Outgoing(tenant, Mode.BINARY, List.of(event));
    }

    static Outgoing structured(String tenant, CloudEvent event) {
        return new Outgoing(tenant, Mode.STRUCTURED, List.of(event));
    }

    static Outgoing batch(String tenant, List<CloudEvent> events) {
        return new Outgoing(tenant, Mode.BATCH, events);
    }
}
