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
 * command runs, the model an inference needs and the tier it may use. Its {@link #key} (everything but the
 * load limit, which changes with every heartbeat) names the set of devices it selects, which the
 * {@link FleetIndex} can keep up to date; {@link #explain} says, for one named device, each requirement it misses.
 */
final class Eligibility implements Predicate<DeviceEntry> {

    /**
     * What a filter selects on, apart from load: equal keys select the same devices. {@code region} is set
     * for the subset NEAREST looks at first.
     */
    record Key(int platformMask, int actionMask, int minMemoryMb, boolean gpu, Map<String, String> labels, String model, DeviceTier tier,
               String region) {

        /** Whether {@code profile} is selected by this key. */
        boolean selects(DeviceProfile p) {
            if ((platformMask != 0 && (p.platformBit & platformMask) == 0)
                    || (p.actionMask & actionMask) != actionMask
                    || p.memoryMb < minMemoryMb
                    || (gpu && !p.gpu)
                    || (tier != null && p.tier != tier)
                    || (region != null && !region.equals(p.region))) {
                return false;
            }
            if (!labels.isEmpty()) {
                for (Map.Entry<String, String> label : labels.entrySet()) {
                    if (!label.getValue().equals(p.labels.get(label.getKey()))) {
                        return false;
                    }
                }
            }
            return model == null || p.serves(model);
        }

        Key inRegion(String onlyRegion) {
            return new Key(platformMask, actionMask, minMemoryMb, gpu, labels, model, tier, onlyRegion);
        }
    }

    private final Requirements requirements;
    private final Key key;
    private final double maxLoad;
    /** Devices never chosen, each with why (reserved by another task, lost by this one); not part of the key. */
    private final Map<String, String> excluded;

    private Eligibility(Requirements requirements, Key key, double maxLoad) {
        this(requirements, key, maxLoad, Map.of());
    }

    private Eligibility(Requirements requirements, Key key, double maxLoad, Map<String, String> excluded) {
        this.requirements = Objects.requireNonNull(requirements, "requirements");
        this.key = key;
        this.maxLoad = maxLoad;
        this.excluded = excluded;
    }

    private static Eligibility of(Requirements requirements, int actionMask, String model, double maxLoad) {
        int platforms = 0;
        for (Platform platform : requirements.platforms()) {
            platforms |= 1 << platform.ordinal();
        }
        return new Eligibility(requirements, new Key(platforms, actionMask, requirements.minMemoryMb() == null ? 0 : requirements.minMemoryMb(),
                requirements.gpu(), requirements.labels(), model, null, null), maxLoad);
    }

    /** For a command: the requirements plus the command's own action. */
    static Eligibility forCommand(Requirements requirements, AgentAction action) {
        List<AgentAction> actions = new ArrayList<>(requirements.actions());
        actions.add(action);
        return of(requirements, DeviceProfile.actionMask(actions), null, 1.0);
    }

    /** For an inference on a device or edge box serving {@code model}, loaded below {@code maxLoad}. */
    static Eligibility forInference(Requirements requirements, String model, double maxLoad) {
        return of(requirements, DeviceProfile.actionMask(requirements.actions()), model, maxLoad);
    }

    /** The same filter, limited to devices of one tier. */
    Eligibility inTier(DeviceTier onlyTier) {
        Key k = key;
        return new Eligibility(requirements, new Key(k.platformMask(), k.actionMask(), k.minMemoryMb(), k.gpu(), k.labels(), k.model(), onlyTier,
                k.region()), maxLoad, excluded);
    }

    /** The same filter, never selecting the devices of {@code why} (device id to the reason). */
    Eligibility excluding(Map<String, String> why) {
        return why.isEmpty() ? this : new Eligibility(requirements, key, maxLoad, Map.copyOf(why));
    }

    /** Why {@code deviceId} is excluded, or null. */
    String exclusion(String deviceId) {
        return excluded.get(deviceId);
    }

    int excludedCount() {
        return excluded.size();
    }

    Key key() {
        return key;
    }

    /** Whether the device may take more: not excluded, and loaded below the limit (always, for commands). */
    boolean hasRoom(DeviceEntry entry) {
        if (!excluded.isEmpty() && excluded.containsKey(entry.deviceId)) {
            return false;
        }
        return maxLoad >= 1.0 || entry.load() < maxLoad;
    }

    @Override
    public boolean test(DeviceEntry entry) {
        DeviceProfile p = entry.profile;
        return p != null && key.selects(p) && hasRoom(entry);
    }

    /** Every requirement {@code entry} misses, each as a sentence about that device. */
    List<Problem> explain(DeviceEntry entry) {
        DeviceProfile p = entry.profile;
        String device = "device " + entry.deviceId;
        List<Problem> problems = new ArrayList<>();
        if (key.platformMask() != 0 && (p.platformBit & key.platformMask()) == 0) {
            problems.add(new Problem("data.requirements.platforms", device + " runs " + p.record.capabilities().platform()
                    + ", not one of " + requirements.platforms()));
        }
        for (AgentAction action : AgentAction.values()) {
            int bit = 1 << action.ordinal();
            if ((key.actionMask() & bit) != 0 && (p.actionMask & bit) == 0) {
                problems.add(new Problem(requirements.actions().contains(action) ? "data.requirements.actions" : "data.action.type",
                        device + " does not support action '" + action.wireName() + "'"));
            }
        }
        if (p.memoryMb < key.minMemoryMb()) {
            problems.add(new Problem("data.requirements.minMemoryMb", device + " has " + p.memoryMb + " MB of memory, "
                    + key.minMemoryMb() + " MB are required"));
        }
        if (key.gpu() && !p.gpu) {
            problems.add(new Problem("data.requirements.gpu", device + " has no GPU"));
        }
        key.labels().forEach((name, value) -> {
            String actual = p.labels.get(name);
            if (!value.equals(actual)) {
                problems.add(new Problem("data.requirements.labels." + name, device + " has label " + name + "="
                        + (actual == null ? "(none)" : actual) + ", " + value + " is required"));
            }
        });
        return problems;
    }

    /** The requirements in words, for rejections: {@code platform [ANDROID], actions 'Launch', >= 4096 MB memory}. */
    String describe() {
        List<String> parts = new ArrayList<>();
        if (!requirements.platforms().isEmpty()) {
            parts.add("platform " + requirements.platforms());
        }
        List<String> actions = new ArrayList<>();
        for (AgentAction action : AgentAction.values()) {
            if ((key.actionMask() & (1 << action.ordinal())) != 0) {
                actions.add("'" + action.wireName() + "'");
            }
        }
        if (!actions.isEmpty()) {
            parts.add("actions " + String.join(", ", actions));
        }
        if (key.minMemoryMb() > 0) {
            parts.add(">= " + key.minMemoryMb() + " MB memory");
        }
        if (key.gpu()) {
            parts.add("a GPU");
        }
        if (!key.labels().isEmpty()) {
            parts.add("labels " + key.labels());
        }
        if (key.model() != null) {
            parts.add("serving model " + key.model());
        }
        if (key.tier() != null) {
            parts.add("tier " + key.tier());
        }
        return parts.isEmpty() ? "no requirements" : String.join(", ", parts);
    }
}
