package io.autoglm.fleet.routing;

import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.events.command.CommandBatchRequested;
import io.autoglm.fleet.events.command.CommandRequested;
import io.autoglm.fleet.events.command.Delivery;
import io.autoglm.fleet.events.command.Placement;
import io.autoglm.fleet.events.command.RoutingStrategy;
import io.autoglm.fleet.events.device.DeviceTier;
import io.autoglm.fleet.events.inference.InferenceRequested;
import io.autoglm.fleet.routing.RoutingDecision.Refused;
import io.autoglm.fleet.routing.RoutingDecision.Routed;
import io.autoglm.fleet.routing.RoutingDecision.Target;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Chooses where commands and inference requests go, among the ONLINE devices of the request's tenant
 * (the {@link FleetIndex} it is given holds no other tenant's devices).
 *
 * <ul>
 * <li>LOAD_BALANCE: the best-scoring of {@code choices} devices drawn at random from those that qualify
 * ("power of two choices"), not the best of all: load data is up to a heartbeat old, and a pure argmax
 * would send a whole burst to the one device that looked idlest. Each dispatch also counts as in flight
 * on its device until the device's next load report, so even the sampled comparison sees it.</li>
 * <li>NEAREST: the preferred region first (any region if none qualifies), then the lowest round-trip
 * time; devices within a tolerance of the closest count as equally near and the least loaded wins.</li>
 * <li>COST_FIRST: the cheapest placement that has a qualifying device (device, edge box; for inference
 * also the cloud), then LOAD_BALANCE within it.</li>
 * </ul>
 * A command naming a device goes to that device or is refused with each reason it does not qualify.
 */
public final class Router {

    private final RouterPolicy policy;
    private final Supplier<Random> random;

    /** @param random the source of random draws, per thread in production ({@code ThreadLocalRandom::current}) */
    public Router(RouterPolicy policy, Supplier<Random> random) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.random = Objects.requireNonNull(random, "random");
    }

    public RouterPolicy policy() {
        return policy;
    }

    /** Routes one command; the chosen devices count it as in flight. */
    public RoutingDecision route(FleetIndex fleet, CommandRequested command) {
        RoutingDecision decision = choose(fleet, command, "data.");
        if (decision instanceof Routed routed) {
            dispatched(fleet, routed.targets());
        }
        return decision;
    }

    /**
     * Routes one unicast command (an agent task's placement) among the devices not in {@code excluded} (device id to why:
     * reserved by another task, lost by this one); a command naming an excluded device is refused with that reason. The
     * chosen device counts it as in flight.
     */
    public RoutingDecision route(FleetIndex fleet, CommandRequested command, Map<String, String> excluded) {
        Eligibility eligible = Eligibility.forCommand(command.requirements(), command.action().type()).excluding(excluded);
        RoutingDecision decision = choose(fleet, command, eligible, "data.");
        if (decision instanceof Routed routed) {
            dispatched(fleet, routed.targets());
        }
        return decision;
    }

    /**
     * Routes every command of a batch, or none: the result lists each command's targets in order, or every
     * problem of every command that cannot be routed (located under {@code data.commands[i]}).
     */
    public Batch routeBatch(FleetIndex fleet, CommandBatchRequested batch) {
        List<List<Target>> routed = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < batch.commands().size(); i++) {
            RoutingDecision decision = choose(fleet, batch.commands().get(i), "data.commands[" + i + "].");
            if (decision instanceof Routed r) {
                dispatched(fleet, r.targets());
                routed.add(r.targets());
            } else {
                String id = batch.commands().get(i).commandId();
                ((Refused) decision).problems().forEach(p -> problems.add(new Problem(p.location(), "command " + id + ": " + p.message())));
            }
        }
        if (!problems.isEmpty()) {
            routed.forEach(targets -> targets.forEach(t -> returned(fleet, t)));
            return new Batch(List.of(), problems);
        }
        return new Batch(routed, List.of());
    }

    /** A batch's routing: each command's targets in order, or every problem (then nothing is routed). */
    public record Batch(List<List<Target>> targets, List<Problem> problems) {
        public Batch {
            targets = List.copyOf(targets);
            problems = List.copyOf(problems);
        }

        public boolean routed() {
            return problems.isEmpty();
        }
    }

    /**
     * Places an inference request: on {@code requestingDeviceId} (the device that asked, when it serves the
     * model and has room), on an edge box, or in the cloud tier, by the request's strategy (the policy's
     * default when it names none).
     */
    public InferencePlacement place(FleetIndex fleet, InferenceRequested request, String requestingDeviceId) {
        RoutingStrategy strategy = request.strategy() != null ? request.strategy() : policy.inferenceStrategy();
        Eligibility eligible = Eligibility.forInference(request.requirements(), request.model(), policy.inferenceMaxLoad());
        DeviceEntry local = requestingDeviceId == null ? null : fleet.find(requestingDeviceId);
        if (local != null && !(local.routable() && eligible.test(local))) {
            local = null;
        }
        Eligibility edges = eligible.inTier(DeviceTier.EDGE);
        InferencePlacement placement = switch (strategy) {
            case COST_FIRST -> cheapest(fleet, strategy, local, edges);
            case LOAD_BALANCE -> {
                List<DeviceEntry> candidates = fleet.sample(edges, policy.choices(), random.get());
                if (local != null) {
                    candidates.add(local);
                }
                DeviceEntry best = best(candidates);
                yield best == null ? cloud(strategy, "no device or edge box qualifies (" + eligible.describe() + ")")
                        : onDevice(best, strategy, "LOAD_BALANCE " + policy.weights().explain(best));
            }
            case NEAREST -> {
                if (local != null) {
                    yield onDevice(local, strategy, "NEAREST: the requesting device serves the model");
                }
                String region = request.requirements().region();
                DeviceEntry requester = requestingDeviceId == null ? null : fleet.find(requestingDeviceId);
                if (region == null && requester != null && requester.profile != null) {
                    region = requester.profile.region;
                }
                Nearest nearest = nearest(fleet, edges, region);
                yield nearest == null ? cloud(strategy, "no device or edge box qualifies (" + eligible.describe() + ")")
                        : onDevice(nearest.entry, strategy, "NEAREST " + nearest.reason);
            }
        };
        if (placement.placement() != Placement.CLOUD) {
            fleet.find(placement.deviceId()).inFlight.incrementAndGet();
        }
        return placement;
    }

    private InferencePlacement cheapest(FleetIndex fleet, RoutingStrategy strategy, DeviceEntry local, Eligibility edges) {
        List<String> tried = new ArrayList<>();
        for (Placement tier : policy.costs().cheapestFirst()) {
            String cost = String.format(Locale.ROOT, "cost %s", trim(policy.costs().of(tier)));
            switch (tier) {
                case DEVICE -> {
                    if (local != null) {
                        return onDevice(local, strategy, "COST_FIRST: on the requesting device (" + cost + ")");
                    }
                    tried.add("the requesting device does not serve it or is busy");
                }
                case EDGE -> {
                    DeviceEntry best = best(fleet.sample(edges, policy.choices(), random.get()));
                    if (best != null) {
                        return onDevice(best, strategy, "COST_FIRST: edge box (" + cost + "), LOAD_BALANCE " + policy.weights().explain(best));
                    }
                    tried.add("no edge box qualifies (" + edges.describe() + ")");
                }
                case CLOUD -> {
                    return cloud(strategy, "COST_FIRST: cloud tier (" + cost + ")" + (tried.isEmpty() ? "" : "; " + String.join("; ", tried)));
                }
            }
        }
        throw new IllegalStateException("the cloud tier is always a placement");
    }

    private InferencePlacement onDevice(DeviceEntry entry, RoutingStrategy strategy, String reason) {
        Placement placement = entry.profile.tier == DeviceTier.EDGE ? Placement.EDGE : Placement.DEVICE;
        return new InferencePlacement(placement, entry.deviceId, strategy, reason);
    }

    private static InferencePlacement cloud(RoutingStrategy strategy, String reason) {
        return new InferencePlacement(Placement.CLOUD, null, strategy, reason.startsWith("COST_FIRST") ? reason : "cloud tier: " + reason);
    }

    private RoutingDecision choose(FleetIndex fleet, CommandRequested command, String at) {
        return choose(fleet, command, Eligibility.forCommand(command.requirements(), command.action().type()), at);
    }

    private RoutingDecision choose(FleetIndex fleet, CommandRequested command, Eligibility eligible, String at) {
        if (command.deviceId() != null) {
            return named(fleet, command, eligible, at);
        }
        if (command.delivery() == Delivery.BROADCAST) {
            List<DeviceEntry> all = fleet.all(eligible);
            if (all.isEmpty()) {
                return nobody(fleet, eligible, at);
            }
            String reason = "BROADCAST to the " + all.size() + " ONLINE devices with " + eligible.describe();
            return new Routed(all.stream().map(entry -> target(entry, reason)).toList());
        }
        DeviceEntry chosen;
        String reason;
        switch (command.strategy()) {
            case NEAREST -> {
                Nearest nearest = nearest(fleet, eligible, command.requirements().region());
                chosen = nearest == null ? null : nearest.entry;
                reason = nearest == null ? null : "NEAREST " + nearest.reason;
            }
            case COST_FIRST -> {
                chosen = null;
                reason = null;
                for (Placement tier : policy.costs().cheapestFirst()) {
                    if (tier == Placement.CLOUD) {
                        continue;
                    }
                    DeviceEntry best = best(fleet.sample(eligible.inTier(tier == Placement.EDGE ? DeviceTier.EDGE : DeviceTier.DEVICE),
                            policy.choices(), random.get()));
                    if (best != null) {
                        chosen = best;
                        reason = "COST_FIRST: " + tier + " (cost " + trim(policy.costs().of(tier)) + "), LOAD_BALANCE "
                                + policy.weights().explain(best);
                        break;
                    }
                }
            }
            default -> {
                List<DeviceEntry> sampled = fleet.sample(eligible, policy.choices(), random.get());
                chosen = best(sampled);
                reason = chosen == null ? null : "LOAD_BALANCE " + policy.weights().explain(chosen) + ", best of " + sampled.size() + " drawn";
            }
        }
        return chosen == null ? nobody(fleet, eligible, at) : new Routed(List.of(target(chosen, reason)));
    }

    private static RoutingDecision named(FleetIndex fleet, CommandRequested command, Eligibility eligible, String at) {
        DeviceEntry entry = fleet.find(command.deviceId());
        if (entry == null || entry.profile == null) {
            return new Refused(List.of(new Problem(at + "deviceId", "device " + command.deviceId() + " is not registered in tenant "
                    + fleet.tenant())));
        }
        List<Problem> problems = new ArrayList<>();
        String exclusion = eligible.exclusion(entry.deviceId);
        if (exclusion != null) {
            problems.add(new Problem(at + "deviceId", "device " + command.deviceId() + " " + exclusion));
        }
        if (!entry.routable()) {
            problems.add(new Problem(at + "deviceId", "device " + command.deviceId() + " is "
                    + (entry.status == null ? "not ONLINE (no heartbeat yet)" : entry.status + ", not ONLINE")));
        }
        eligible.explain(entry).forEach(p -> problems.add(new Problem(at + p.location().substring("data.".length()), p.message())));
        return problems.isEmpty() ? new Routed(List.of(target(entry, "the command names device " + entry.deviceId)))
                : new Refused(problems);
    }

    private static RoutingDecision nobody(FleetIndex fleet, Eligibility eligible, String at) {
        return new Refused(List.of(new Problem(at + "requirements", "no ONLINE device of tenant " + fleet.tenant() + " has "
                + eligible.describe() + (eligible.excludedCount() == 0 ? "" : " and free") + " (" + fleet.registeredCount() + " registered, "
                + fleet.onlineCount() + " ONLINE" + (eligible.excludedCount() == 0 ? "" : ", " + eligible.excludedCount() + " excluded") + ")")));
    }

    private DeviceEntry best(List<DeviceEntry> candidates) {
        DeviceEntry best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (DeviceEntry candidate : candidates) {
            double score = policy.weights().score(candidate);
            if (score > bestScore) {
                best = candidate;
                bestScore = score;
            }
        }
        return best;
    }

    private record Nearest(DeviceEntry entry, String reason) {
    }

    private Nearest nearest(FleetIndex fleet, Eligibility eligible, String region) {
        DeviceEntry[] candidates = null;
        String where = "any region";
        if (region != null) {
            DeviceEntry[] local = fleet.members(eligible.key().inRegion(region));
            if (anyWithRoom(local, eligible)) {
                candidates = local;
                where = "region " + region;
            } else {
                where = "any region (none qualifies in " + region + ")";
            }
        }
        if (candidates == null) {
            candidates = fleet.members(eligible.key());
        }
        // one pass: keep the devices within the tolerance of the closest seen so far, with the rtt each had
        double closest = Double.POSITIVE_INFINITY;
        DeviceEntry[] near = new DeviceEntry[16];
        double[] nearRtt = new double[16];
        int nearCount = 0;
        for (DeviceEntry candidate : candidates) {
            if (!eligible.hasRoom(candidate)) {
                continue;
            }
            double rtt = candidate.rttMs();
            if (rtt > closest + policy.nearestToleranceMs()) {
                continue;
            }
            if (rtt < closest) {
                closest = rtt;
                int kept = 0;
                for (int i = 0; i < nearCount; i++) {
                    if (nearRtt[i] <= closest + policy.nearestToleranceMs()) {
                        near[kept] = near[i];
                        nearRtt[kept++] = nearRtt[i];
                    }
                }
                nearCount = kept;
            }
            if (nearCount == near.length) {
                near = java.util.Arrays.copyOf(near, nearCount * 2);
                nearRtt = java.util.Arrays.copyOf(nearRtt, nearCount * 2);
            }
            near[nearCount] = candidate;
            nearRtt[nearCount++] = rtt;
        }
        if (nearCount == 0) {
            return null;
        }
        DeviceEntry chosen = null;
        double lightest = Double.POSITIVE_INFINITY;
        int ties = 0;
        Random draw = random.get();
        for (int i = 0; i < nearCount; i++) {
            double load = near[i].load();
            if (load < lightest) {
                chosen = near[i];
                lightest = load;
                ties = 1;
            } else if (load == lightest && draw.nextInt(++ties) == 0) {
                chosen = near[i];
            }
        }
        return new Nearest(chosen, String.format(Locale.ROOT, "%s, rtt %.0f ms (closest %.0f ms), load %.2f",
                where, chosen.rttMs(), closest, lightest));
    }

    private static boolean anyWithRoom(DeviceEntry[] entries, Eligibility eligible) {
        for (DeviceEntry entry : entries) {
            if (eligible.hasRoom(entry)) {
                return true;
            }
        }
        return false;
    }

    private static Target target(DeviceEntry entry, String reason) {
        return new Target(entry.deviceId, entry.profile.tier == DeviceTier.EDGE ? Placement.EDGE : Placement.DEVICE, reason);
    }

    private static void dispatched(FleetIndex fleet, List<Target> targets) {
        for (Target target : targets) {
            DeviceEntry entry = fleet.find(target.deviceId());
            if (entry != null) {
                entry.inFlight.incrementAndGet();
            }
        }
    }

    private static void returned(FleetIndex fleet, Target target) {
        DeviceEntry entry = fleet.find(target.deviceId());
        if (entry != null) {
            entry.inFlight.updateAndGet(n -> Math.max(0, n - 1));
        }
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
