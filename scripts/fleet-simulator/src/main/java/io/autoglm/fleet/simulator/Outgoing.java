package io.autoglm.fleet.simulator;

import io.cloudevents.CloudEvent;

import java.util.List;
import java.util.Objects;

/**
 * Events the simulator sends in one go, for one tenant: to the ingress sink in one request, in one of the
 * HTTP binding's modes (single events in binary or structured mode, bursts as a batch), or, what a device
 * says when devices connect through the gateway, down that device's socket ({@link Mode#SOCKET}).
 */
record Outgoing(String tenant, Mode mode, List<CloudEvent> events, SimulatedDevice device) {

    enum Mode { BINARY, STRUCTURED, BATCH, SOCKET }

    Outgoing {
        Objects.requireNonNull(tenant);
        Objects.requireNonNull(mode);
        events = List.copyOf(events);
        if (mode != Mode.BATCH && events.size() != 1) {
            throw new IllegalArgumentException(mode + " sends one event, got " + events.size());
        }
        if ((mode == Mode.SOCKET) != (device != null)) {
            throw new IllegalArgumentException("a device's socket, and only that, needs the device");
        }
    }

    static Outgoing binary(String tenant, CloudEvent event) {
        return new Outgoing(tenant, Mode.BINARY, List.of(event), null);
    }

    static Outgoing structured(String tenant, CloudEvent event) {
        return new Outgoing(tenant, Mode.STRUCTURED, List.of(event), null);
    }

    static Outgoing batch(String tenant, List<CloudEvent> events) {
        return new Outgoing(tenant, Mode.BATCH, events, null);
    }

    static Outgoing socket(SimulatedDevice device, CloudEvent event) {
        return new Outgoing(device.tenant(), Mode.SOCKET, List.of(event), device);
    }
}
