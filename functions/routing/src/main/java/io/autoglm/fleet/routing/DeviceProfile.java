package io.autoglm.fleet.routing;

import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.events.device.DeviceCapabilities;
import io.autoglm.fleet.events.device.DeviceRecord;
import io.autoglm.fleet.events.device.DeviceTier;
import io.autoglm.fleet.events.device.Gpu;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A registered device's declaration, pre-digested for matching: platform and actions as bit masks, the
 * model names it serves, and its capability score, so that filtering a hundred thousand devices costs a
 * few integer comparisons each. Immutable; replaced when the device registers a new generation.
 */
final class DeviceProfile {

    final DeviceRecord record;
    final String deviceId;
    final String tenant;
    final int platformBit;
    final DeviceTier tier;
    final int memoryMb;
    final boolean gpu;
    final int actionMask;
    final Map<String, String> labels;
    final String region;
    final double declaredRttMs;
    final double capability;
    /** Model references served, as declared ({@code name}, {@code name@version}, {@code name@alias}). */
    final Set<String> models;

    DeviceProfile(DeviceRecord record) {
        this.record = Objects.requireNonNull(record, "record");
        DeviceCapabilities capabilities = record.capabilities();
        this.deviceId = record.deviceId();
        this.tenant = record.tenant();
        this.platformBit = 1 << capabilities.platform().ordinal();
        this.tier = capabilities.tier();
        this.memoryMb = capabilities.hardware().memoryMb();
        this.gpu = capabilities.hardware().hasGpu();
        this.actionMask = actionMask(capabilities.supportedActions());
        this.labels = capabilities.labels();
        this.region = capabilities.location().region();
        this.declaredRttMs = capabilities.network().rttMs();
        this.capability = capabilityOf(capabilities);
        this.models = Set.copyOf(new HashSet<>(capabilities.models()));
    }

    static int actionMask(List<AgentAction> actions) {
        int mask = 0;
        for (AgentAction action : actions) {
            mask |= 1 << action.ordinal();
        }
        return mask;
    }

    /**
     * What the device can take on, in [0, 1]: cores (up to 16) and memory (up to 16 GB) count 0.4 each,
     * a GPU 0.2 scaled by its memory (up to 16 GB). Absolute, so a score means the same in every tenant.
     */
    static double capabilityOf(DeviceCapabilities capabilities) {
        double cores = Math.min(1.0, capabilities.hardware().cpuCores() / 16.0);
        double memory = Math.min(1.0, capabilities.hardware().memoryMb() / 16384.0);
        Gpu gpu = capabilities.hardware().gpu();
        double accelerator = gpu == null ? 0 : 0.5 + 0.5 * Math.min(1.0, gpu.memoryMb() / 16384.0);
        return 0.4 * cores + 0.4 * memory + 0.2 * accelerator;
    }

    /** Whether the device serves {@code model} ({@code name} or {@code name@version|alias}). */
    boolean serves(String model) {
        if (models.isEmpty()) {
            return false;
        }
        if (models.contains(model)) {
            return true;
        }
        int at = model.indexOf('@');
        String name = at < 0 ? model : model.substring(0, at);
        if (at >= 0) {
            return models.contains(name);
        }
        for (String served : models) {
            if (served.startsWith(name) && served.length() > name.length() && served.charAt(name.length()) == '@') {
                return true;
            }
        }
        return false;
    }
}
