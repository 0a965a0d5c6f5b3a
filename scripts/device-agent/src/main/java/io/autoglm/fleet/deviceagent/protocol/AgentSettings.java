package io.autoglm.fleet.deviceagent.protocol;

import io.autoglm.fleet.events.device.Location;
import io.autoglm.fleet.events.device.NetworkType;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How the agent runs: where the gateway is, the tenant's enrolment token (null when a stored credential
 * is all there is), what the device declares beyond what it reports itself (location, network, labels),
 * and the protocol's timings and bounds.
 *
 * @param tenant              the tenant; null to read it from the enrolment token's {@code tenant} claim
 * @param heartbeatInterval   time between heartbeats
 * @param waitingCommands     commands that may wait behind the running one before the device is busy
 * @param rememberedCommands  command ids kept for deduplication
 * @param registrationTimeout how long to wait for the registry's answer before trying again
 * @param backoffBase         the first reconnect delay's ceiling, doubled per failure
 * @param backoffCap          the longest reconnect delay
 */
public record AgentSettings(
        URI gateway,
        String enrolmentToken,
        String tenant,
        Location location,
        NetworkType network,
        Map<String, String> labels,
        Duration heartbeatInterval,
        int waitingCommands,
        int rememberedCommands,
        Duration registrationTimeout,
        Duration backoffBase,
        Duration backoffCap) {

    public AgentSettings {
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(network, "network");
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        Objects.requireNonNull(registrationTimeout, "registrationTimeout");
        Objects.requireNonNull(backoffBase, "backoffBase");
        Objects.requireNonNull(backoffCap, "backoffCap");
        String scheme = gateway.getScheme();
        if (!"ws".equals(scheme) && !"wss".equals(scheme)) {
            throw new IllegalArgumentException("the gateway is a ws:// or wss:// URL, e.g. ws://localhost:8090/devices/v1; got " + gateway);
        }
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("the heartbeat interval must be positive, got " + heartbeatInterval);
        }
        if (waitingCommands < 0 || rememberedCommands < 1) {
            throw new IllegalArgumentException("waitingCommands >= 0 and rememberedCommands >= 1");
        }
    }

    /** Defaults: heartbeat every 10 s, 4 commands may wait, 1024 ids remembered, 30 s for a registration, backoff 0.5 s to 30 s. */
    public static AgentSettings defaults(URI gateway, String enrolmentToken, Location location) {
        return new AgentSettings(gateway, enrolmentToken, null, location, NetworkType.WIFI, Map.of(), Duration.ofSeconds(10), 4, 1024,
                Duration.ofSeconds(30), Duration.ofMillis(500), Duration.ofSeconds(30));
    }
}
