package io.autoglm.fleet.deviceagent.protocol;

import io.autoglm.fleet.deviceagent.backend.DeviceFacts;
import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.events.device.DeviceCapabilities;
import io.autoglm.fleet.events.device.DeviceDeclaration;
import io.autoglm.fleet.events.device.DeviceTier;
import io.autoglm.fleet.events.device.Hardware;
import io.autoglm.fleet.events.device.Network;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns what a device reports about itself into its registration: the capabilities the router matches
 * commands against (platform, cores, memory, the actions the backend does, where the operator says the
 * device is) and the fingerprint its stable id is derived from (the hardware identifiers).
 */
public final class Declarations {

    /** This agent's version, as declared ({@code agentVersion}): the first that speaks the gateway protocol (the registry refuses agents older than 1.0.0). */
    public static final String AGENT_VERSION = "1.0.0";
    private static final int LABEL_MAX = 63;
    private static final int SMALLEST_MEMORY_MB = 64;

    private Declarations() {
    }

    public static DeviceDeclaration declaration(String tenant, DeviceFacts facts, Set<AgentAction> supported, AgentSettings settings,
                                                String bridge) {
        Map<String, String> labels = new LinkedHashMap<>();
        label(labels, "model", facts.model());
        label(labels, "os", facts.osVersion());
        label(labels, "screen", facts.screen().toString());
        label(labels, "bridge", bridge);
        labels.putAll(settings.labels());
        List<AgentAction> actions = supported.stream().sorted().toList();
        DeviceCapabilities capabilities = new DeviceCapabilities(facts.platform(), DeviceTier.DEVICE,
                new Hardware(Math.max(1, facts.cpuCores()), Math.max(SMALLEST_MEMORY_MB, facts.memoryMb()), null),
                new Network(settings.network(), 0, 0), settings.location(), labels, AGENT_VERSION, actions, List.of());
        Map<String, String> fingerprint = new LinkedHashMap<>();
        facts.identifiers().forEach((name, value) -> {
            if (value != null && !value.isBlank()) {
                fingerprint.put(name, value.length() > 256 ? value.substring(0, 256) : value);
            }
        });
        fingerprint.put("platform", facts.platform().name());
        return new DeviceDeclaration(tenant, capabilities, fingerprint);
    }

    private static void label(Map<String, String> labels, String name, String value) {
        if (value != null && !value.isBlank()) {
            labels.put(name, value.length() > LABEL_MAX ? value.substring(0, LABEL_MAX) : value);
        }
    }

    /**
     * The {@code tenant} claim of a JWT, read without checking the signature (the gateway checks it; the
     * agent only needs to know which tenant it declares for). Null when the token has no such claim.
     */
    public static String tenantClaim(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length < 2) {
            return null;
        }
        try {
            JsonNode claims = EventJson.tree(Base64.getUrlDecoder().decode(parts[1]));
            JsonNode tenant = claims.get("tenant");
            return tenant != null && tenant.isTextual() ? tenant.asText() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
