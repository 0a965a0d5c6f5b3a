package io.autoglm.fleet.registry;

import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.events.device.DeviceCapabilities;
import io.autoglm.fleet.events.device.DeviceDeclaration;
import io.autoglm.fleet.events.device.DeviceTier;
import io.autoglm.fleet.events.device.Gpu;
import io.autoglm.fleet.events.device.Location;
import io.autoglm.fleet.events.device.Platform;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The registry's own checks of a device declaration, on top of what the JSON Schema already enforces at
 * the edge (types, ranges, enums, patterns): rules that span fields or need the registry's policy. Every
 * broken rule is reported, each as a sentence naming the field, so a device fixes everything in one go.
 */
public final class DeclarationRules {

    /** Labels under this prefix are the control plane's; a device may not declare them. */
    public static final String RESERVED_LABEL_PREFIX = "autoglm.io/";

    /** Platforms whose GPU shares the device's memory, so it cannot have more than the device. */
    private static final Set<Platform> SHARED_MEMORY_GPU = EnumSet.of(Platform.ANDROID, Platform.HARMONYOS, Platform.IOS);
    /** Actions a platform has no way to perform, with why. */
    private static final Map<Platform, Map<AgentAction, String>> IMPOSSIBLE_ACTIONS = Map.of(
            Platform.IOS, Map.of(AgentAction.BACK, "iOS has no system Back action"),
            Platform.WASM, Map.of(
                    AgentAction.LAUNCH, "a WASM runtime has no apps to launch",
                    AgentAction.HOME, "a WASM runtime has no home screen",
                    AgentAction.BACK, "a WASM runtime has no system Back action"));
    /**
     * Fingerprint values that many devices report alike: hashing them would give unrelated devices one id.
     * {@code 020000000000} is the MAC Android 6+ shows to apps instead of the real one.
     */
    private static final Set<String> PLACEHOLDERS = Set.of("unknown", "null", "none", "n/a", "na", "undefined", "default",
            "0", "00000000", "0000000000000000", "000000000000", "ffffffffffff", "020000000000", "123456789", "0123456789abcdef");

    private final AgentVersion minimumAgentVersion;

    public DeclarationRules(AgentVersion minimumAgentVersion) {
        this.minimumAgentVersion = Objects.requireNonNull(minimumAgentVersion, "minimumAgentVersion");
    }

    /**
     * Every rule {@code declaration} breaks, sent in tenant {@code eventTenant} (the event's {@code tenant}
     * extension); empty when it may register.
     */
    public List<Problem> check(String eventTenant, DeviceDeclaration declaration) {
        List<Problem> problems = new ArrayList<>();
        if (eventTenant == null) {
            problems.add(new Problem("tenant", "tenant is required: a device registers in the tenant it sends as"));
        } else if (!eventTenant.equals(declaration.tenant())) {
            problems.add(new Problem("data.tenant", "data.tenant '" + declaration.tenant() + "' does not match the event's tenant '"
                    + eventTenant + "': a device can only register in the tenant it sends as"));
        }
        DeviceCapabilities capabilities = declaration.capabilities();
        checkTier(capabilities, problems);
        checkGpu(capabilities, problems);
        checkActions(capabilities, problems);
        checkAgentVersion(capabilities.agentVersion(), problems);
        checkLocation(capabilities.location(), problems);
        checkLabels(capabilities.labels(), problems);
        checkFingerprint(declaration.fingerprint(), problems);
        return problems;
    }

    private static void checkTier(DeviceCapabilities capabilities, List<Problem> problems) {
        if (capabilities.tier() == DeviceTier.EDGE && capabilities.platform() != Platform.LINUX) {
            problems.add(new Problem("data.capabilities.tier", "data.capabilities.tier EDGE needs platform LINUX (edge boxes are Linux hosts), got "
                    + capabilities.platform()));
        }
    }

    private static void checkGpu(DeviceCapabilities capabilities, List<Problem> problems) {
        Gpu gpu = capabilities.hardware().gpu();
        if (gpu == null) {
            return;
        }
        if (gpu.name().isBlank()) {
            problems.add(new Problem("data.capabilities.hardware.gpu.name", "data.capabilities.hardware.gpu.name must name the GPU, got blanks"));
        }
        if (capabilities.platform() == Platform.WASM) {
            problems.add(new Problem("data.capabilities.hardware.gpu", "data.capabilities.hardware.gpu must be absent for platform WASM: "
                    + "a WASM runtime reaches no GPU directly"));
        } else if (SHARED_MEMORY_GPU.contains(capabilities.platform()) && gpu.memoryMb() > capabilities.hardware().memoryMb()) {
            problems.add(new Problem("data.capabilities.hardware.gpu.memoryMb", "data.capabilities.hardware.gpu.memoryMb " + gpu.memoryMb()
                    + " exceeds the device's memory " + capabilities.hardware().memoryMb() + " MB: a " + capabilities.platform()
                    + " GPU shares the device's memory"));
        }
    }

    private static void checkActions(DeviceCapabilities capabilities, List<Problem> problems) {
        Map<AgentAction, String> impossible = IMPOSSIBLE_ACTIONS.getOrDefault(capabilities.platform(), Map.of());
        List<AgentAction> actions = capabilities.supportedActions();
        for (int i = 0; i < actions.size(); i++) {
            String why = impossible.get(actions.get(i));
            if (why != null) {
                problems.add(new Problem("data.capabilities.supportedActions[" + i + "]", "data.capabilities.supportedActions[" + i + "] '"
                        + actions.get(i).wireName() + "' is not possible on " + capabilities.platform() + ": " + why));
            }
        }
        if (actions.isEmpty()) {
            problems.add(new Problem("data.capabilities.supportedActions", "data.capabilities.supportedActions must name at least one action"));
        }
    }

    private void checkAgentVersion(String agentVersion, List<Problem> problems) {
        try {
            AgentVersion version = AgentVersion.parse(agentVersion);
            if (version.compareTo(minimumAgentVersion) < 0) {
                problems.add(new Problem("data.capabilities.agentVersion", "data.capabilities.agentVersion " + version
                        + " is older than the oldest supported agent " + minimumAgentVersion + ": upgrade the agent"));
            }
        } catch (IllegalArgumentException e) {
            problems.add(new Problem("data.capabilities.agentVersion", "data.capabilities.agentVersion " + e.getMessage()));
        }
    }

    private static void checkLocation(Location location, List<Problem> problems) {
        if (location.zone() != null && !location.zone().startsWith(location.region())) {
            problems.add(new Problem("data.capabilities.location.zone", "data.capabilities.location.zone '" + location.zone()
                    + "' is not in region '" + location.region() + "': a zone name starts with its region's (e.g. "
                    + location.region() + "a)"));
        }
    }

    private static void checkLabels(Map<String, String> labels, List<Problem> problems) {
        labels.keySet().stream().filter(name -> name.startsWith(RESERVED_LABEL_PREFIX)).sorted().forEach(name ->
                problems.add(new Problem("data.capabilities.labels." + name, "data.capabilities.labels." + name + " uses the reserved prefix "
                        + RESERVED_LABEL_PREFIX + ": those labels are set by the control plane, not declared")));
    }

    private static void checkFingerprint(Map<String, String> fingerprint, List<Problem> problems) {
        if (fingerprint.isEmpty()) {
            problems.add(new Problem("data.fingerprint", "data.fingerprint needs at least one hardware identifier (serial, mac, boardId, ...)"));
            return;
        }
        fingerprint.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(input -> {
            String value = DeviceIdentity.normalise(input.getValue());
            if (value.isEmpty() || PLACEHOLDERS.contains(value) || value.chars().distinct().count() == 1 && value.length() > 3) {
                problems.add(new Problem("data.fingerprint." + input.getKey(), "data.fingerprint." + input.getKey() + " '" + input.getValue()
                        + "' is a placeholder many devices share" + (value.equals("020000000000") ? " (Android's masked MAC)" : "")
                        + ": leave it out or send the real identifier, or unrelated devices would get one id"));
            }
        });
    }

    /** Shown in messages: the lowest version that may register. */
    public AgentVersion minimumAgentVersion() {
        return minimumAgentVersion;
    }
}
