package io.autoglm.fleet.events.device;

import java.util.Objects;

/** A device's link as declared at registration: type, bandwidth and round-trip time to its region. */
public record Network(NetworkType type, double bandwidthMbps, double rttMs) {
    public Network {
        Objects.requireNonNull(type, "type");
    }
}
