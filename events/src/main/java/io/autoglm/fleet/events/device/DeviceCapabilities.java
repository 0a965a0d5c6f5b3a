package io.autoglm.fleet.events.device;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a device declares it is and can do. Routing requirements are matched against this;
 * the registry stores it as declared (minus the fingerprint, which only feeds the identity).
 *
 * @param models models the device can run locally, as {@code name} or {@code name@version|alias}
 */
public record DeviceCapabilities(
        Platform platform,
        DeviceTier tier,
        Hardware hardware,
        Network network,
        Location location,
        Map<String, String> labels,
        String agentVersion,
        List<AgentAction> supportedActions,
        List<String> models) {

    public DeviceCapabilities {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(hardware, "hardware");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(agentVersion, "agentVersion");
        tier = tier == null ? DeviceTier.DEVICE : tier;
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        supportedActions = supportedActions == null ? List.of() : List.copyOf(supportedActions);
        models = models == null ? List.of() : List.copyOf(models);
    }
}
