package io.autoglm.fleet.routing;

import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.events.command.Requirements;
import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.events.device.DeviceTier;
import io.autoglm.fleet.events.device.Platform;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A request's requirements compiled for fast matching (platform and action bit masks), plus the action a
 * command runs, the model an inference needs and the tier it may use. {@link #test} is the filter used on
 * every candidate; {@link #explain} says, for one named device, each requirement it misses.
 */
final class Eligibility implements Predicate<DeviceEntry> {

    private final Requirements requirements;
    private final int platformMask;
    private final int actionMask;
    private final int minMemoryMb;
    private final boolean gpu;
    private final Map<String, String> labels;
    private final String model;
    private final DeviceTier tier;
    private final double maxLoad;

    private Eligibility(Requirements requirements, int actionMask, String model, DeviceTier tier, double maxLoad) {
        this.requirements = Objects.requireNonNull(requirements, "requirements");
        int platforms = 0;
        for (Platform platform : requirements.platforms()) {
            platforms |= 1 << platform.ordinal();
        }
        this.platformMask = platforms;
        this.actionMask = actionMask;
        this.minMemoryMb = requirements.minMemoryMb() == null ? 0 : requirements.minMemoryMb();
        this.gpu = requirements.gpu();
        this.labels = requirements.labels();
        this.model = model;
        this.tier = tier;
        this.maxLoad = maxLoad;
    }

    /** For a command: the requirements plus the command's own action. */
    static Eligibility forCommand(Requirements requirements, AgentAction action) {
        List<AgentAction> actions = new ArrayList<>(requirements.actions());
        actions.add(action);
        return new Eligibility(requirements, DeviceProfile.actionMask(actions), null, null, 1.0);
    }

    /** For an inference on a device or edge box serving {@code model}, loaded below {@code maxLoad}. */
    static Eligibility forInference(Requirements requirements, String model, double maxLoad) {
        return new Eligibility(requirements, DeviceProfile.actionMask(requirements.actions()), model, null, maxLoad);
    }

    /** The same filter, limited to devices of one tier. */
    Eligibility inTier(DeviceTier onlyTier) {
        return new Eligibility(requirements, actionMask, model, onlyTier, maxLoad);
    }

    @Override
    public boolean test(DeviceEntry entry) {
        DeviceProfile p = entry.profile;
        if (p == null
                || (platformMask != 0 && (p.platformBit & platformMask) == 0)
                || (p.actionMask & actionMask) != actionMask
                || p.memoryMb < minMemoryMb
                || (gpu && !p.gpu)
                || (tier != null && p.tier != tier)) {
            return false;
        }
        if (!labels.isEmpty()) {
            for (Map.Entry<String, String> label : labels.entrySet()) {
                if (!label.getValue().equals(p.labels.get(label.getKey()))) {
                    return false;
                }
            }
        }
        return (model == null || p.serves(model)) && (maxLoad >= 1.0 || entry.load() < maxLoad);
    }

    /** Every requirement {@code entry} misses, each as a sentence about that device. */
    List<Problem> explain(DeviceEntry entry) {
        DeviceProfile p = entry.profile;
        String device = "device " + entry.deviceId;
        List<Problem> problems = new ArrayList<>();
        if (platformMask != 0 && (p.platformBit & platformMask) == 0) {
            problems.add(new Problem("data.requirements.platforms", device + " runs " + p.record.capabilities().platform()
                    + ", not one of " + requirements.platforms()));
        }
        for (AgentAction action : AgentAction.values()) {
            int bit = 1 << action.ordinal();
            if ((actionMask & bit) != 0 && (p.actionMask & bit) == 0) {
                problems.add(new Problem(requirements.actions().contains(action) ? "data.requirements.actions" : "data.action.type",
                        device + " does not support action '" + action.wireName() + "'"));
            }
        }
        if (p.memoryMb < minMemoryMb) {
            problems.add(new Problem("data.requirements.minMemoryMb", device + " has " + p.memoryMb + " MB of memory, "
                    + minMemoryMb + " MB are required"));
        }
        if (gpu && !p.gpu) {
            problems.add(new Problem("data.requirements.gpu", device + " has no GPU"));
        }
        labels.forEach((name, value) -> {
            String actual = p.labels.get(name);
            if (!value.equals(actual)) {
                problems.add(new Problem("data.requirements.labels." + name, device + " has label " + name + "="
                        + (actual == null ? "(none)" : actual) + ", " + value + " is required"));
            }
        });
        return problems;
    }

    /** The requirements in words, for rejections: {@code platform ANDROID, action 'Launch', >= 4096 MB}. */
    String describe() {
        List<String> parts = new ArrayList<>();
        if (!requirements.platforms().isEmpty()) {
            parts.add("platform " + requirements.platforms());
        }
        List<String> actions = new ArrayList<>();
        for (AgentAction action : AgentAction.values()) {
            if ((actionMask & (1 << action.ordinal())) != 0) {
                actions.add("'" + action.wireName() + "'");
            }
        }
        if (!actions.isEmpty()) {
            parts.add("actions " + String.join(", ", actions));
        }
        if (minMemoryMb > 0) {
            parts.add(">= " + minMemoryMb + " MB memory");
        }
        if (gpu) {
            parts.add("a GPU");
        }
        if (!labels.isEmpty()) {
            parts.add("labels " + labels);
        }
        if (model != null) {
            parts.add("serving model " + model);
        }
        if (tier != null) {
            parts.add("tier " + tier);
        }
        return parts.isEmpty() ? "no requirements" : String.join(", ", parts);
    }
}
