package io.autoglm.fleet.routing;

import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.events.command.CommandAction;
import io.autoglm.fleet.events.command.CommandBatchRequested;
import io.autoglm.fleet.events.command.CommandRequested;
import io.autoglm.fleet.events.command.Delivery;
import io.autoglm.fleet.events.command.Placement;
import io.autoglm.fleet.events.command.Requirements;
import io.autoglm.fleet.events.command.RoutingStrategy;
import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.events.device.Gpu;
import io.autoglm.fleet.events.device.LivenessStatus;
import io.autoglm.fleet.events.device.Platform;
import io.autoglm.fleet.events.inference.InferenceRequested;
import io.autoglm.fleet.routing.RoutingDecision.Refused;
import io.autoglm.fleet.routing.RoutingDecision.Routed;
import io.autoglm.fleet.routing.RoutingDecision.Target;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.autoglm.fleet.routing.Fleets.device;
import static io.autoglm.fleet.routing.Fleets.online;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RouterTest {

    private final Random random = new Random(11);
    private final Router router = new Router(RouterPolicy.DEFAULT, () -> random);
    private final FleetIndex acme = new FleetIndex("acme");

    @Test
    void onlyOnlineDevicesThatMeetEveryRequirementQualify() {
        online(acme,
                device("ios").platform(Platform.IOS).actions(AgentAction.TAP, AgentAction.LAUNCH),
                device("small").hardware(4, 2048, null),
                device("no-launch").actions(AgentAction.TAP),
                device("wrong-label").labels(Map.of("model", "pixel-8")),
                device("no-gpu"),
                device("fit").hardware(8, 8192, new Gpu("Adreno 750", 4096, "7.5")).labels(Map.of("model", "pixel-9")));
        Fleets.add(acme, device("fit-but-suspect").hardware(8, 8192, new Gpu("Adreno 750", 4096, "7.5")).labels(Map.of("model", "pixel-9")),
                LivenessStatus.SUSPECT);
        Fleets.add(acme, device("fit-no-heartbeat").hardware(8, 8192, new Gpu("Adreno 750", 4096, "7.5")).labels(Map.of("model", "pixel-9")),
                null);
        Requirements requirements = new Requirements(List.of(Platform.ANDROID), Map.of("model", "pixel-9"), 4096, true, List.of(), null);

        for (int i = 0; i < 20; i++) {
            assertThat(targets(router.route(acme, command(requirements, AgentAction.LAUNCH)))).containsExactly("fit");
        }
    }

    @Test
    void noQualifyingDeviceIsARefusalThatSaysWhatWasAskedAndWhatThereIs() {
        online(acme, device("d1"), device("d2"));
        Fleets.add(acme, device("d3"), LivenessStatus.OFFLINE);

        RoutingDecision decision = router.route(acme, command(new Requirements(List.of(Platform.HARMONYOS), null, null, false, null, null),
                AgentAction.TAP));

        assertThat(((Refused) decision).problems()).extracting(Problem::location, Problem::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple("data.requirements", "no ONLINE device of tenant acme has platform [HARMONYOS], "
                        + "actions 'Tap' (3 registered, 2 ONLINE)"));
    }

    @Test
    void excludedDevicesAreNeverChosenAndANamedOneIsRefusedWithWhy() {
        online(acme, device("d1"), device("d2"), device("d3"));
        Map<String, String> excluded = Map.of("d1", "runs task t9", "d3", "was lost by this task");

        for (RoutingStrategy strategy : RoutingStrategy.values()) {
            for (int i = 0; i < 20; i++) {
                CommandRequested observe = new CommandRequested("p" + i, null, Delivery.UNICAST, strategy, Requirements.ANY, TAP, null);
                assertThat(targets(router.route(acme, observe, excluded))).containsExactly("d2");
            }
        }
        RoutingDecision none = router.route(acme, new CommandRequested("p", null, Delivery.UNICAST, null, Requirements.ANY, TAP,
                null), Map.of("d1", "busy", "d2", "busy", "d3", "busy"));
        assertThat(((Refused) none).problems()).extracting(Problem::message).singleElement().asString()
                .contains("and free").contains("3 excluded");
        RoutingDecision named = router.route(acme, new CommandRequested("p", "d1", Delivery.UNICAST, null, Requirements.ANY, TAP,
                null), excluded);
        assertThat(((Refused) named).problems()).extracting(Problem::message).containsExactly("device d1 runs task t9");
    }

    @Test
    void aNamedDeviceIsRefusedWithEveryReasonItDoesNotQualify() {
        Fleets.add(acme, device("d1").platform(Platform.IOS).hardware(4, 2048, null).actions(AgentAction.TAP), LivenessStatus.SUSPECT);
        CommandRequested command = new CommandRequested("c1", "d1", Delivery.UNICAST, null,
                new Requirements(List.of(Platform.ANDROID), null, 4096, true, null, null), new CommandAction(AgentAction.LAUNCH, null), null);

        RoutingDecision decision = router.route(acme, command);

        assertThat(((Refused) decision).problems()).extracting(Problem::message).containsExactly(
                "device d1 is SUSPECT, not ONLINE",
                "device d1 runs IOS, not one of [ANDROID]",
                "device d1 does not support action 'Launch'",
                "device d1 has 2048 MB of memory, 4096 MB are required",
                "device d1 has no GPU");
        assertThat(((Refused) router.route(acme, new CommandRequested("c2", "nope", null, null, null,
                new CommandAction(AgentAction.TAP, null), null))).problems())
                .extracting(Problem::message).containsExactly("device nope is not registered in tenant acme");
    }

    @Test
    void aNamedDeviceThatQualifiesGetsTheCommand() {
        online(acme, device("d1"), device("d2"));

        RoutingDecision decision = router.route(acme, new CommandRequested("c1", "d2", null, null, null, new CommandAction(AgentAction.TAP, null), null));

        assertThat(((Routed) decision).targets()).extracting(Target::deviceId, Target::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("d2", "the command names device d2"));
    }

    @Test
    void loadBalanceTakesTheBetterOfTheTwoDrawn() {
        online(acme, device("busy"), device("idle"));
        Fleets.load(acme, "busy", 0.95, 6);
        Fleets.load(acme, "idle", 0.05, 0);

        RoutingDecision decision = router.route(acme, command(Requirements.ANY, AgentAction.TAP));

        Target target = ((Routed) decision).targets().get(0);
        assertThat(target.deviceId()).isEqualTo("idle");
        assertThat(target.placement()).isEqualTo(Placement.DEVICE);
        assertThat(target.reason()).startsWith("LOAD_BALANCE score ").contains("best of 2 drawn");
    }

    @Test
    void aBurstOnStaleLoadDataSpreadsInsteadOfPilingOntoTheBestLookingDevice() {
        for (int d = 0; d < 100; d++) {
            online(acme, device("d" + d).hardware(8, 8192, null));
            Fleets.load(acme, "d" + d, d == 42 ? 0.0 : 0.3, 0);
        }
        // what a pure argmax over the same (stale) scores does: every command to d42
        DeviceEntry argmax = acme.all(Eligibility.forCommand(Requirements.ANY, AgentAction.TAP)).stream()
                .max(java.util.Comparator.comparingDouble(RoutingWeights.DEFAULT::score)).orElseThrow();
        assertThat(argmax.deviceId).isEqualTo("d42");

        Map<String, Integer> perDevice = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            targets(router.route(acme, command(Requirements.ANY, AgentAction.TAP))).forEach(id -> perDevice.merge(id, 1, Integer::sum));
        }

        assertThat(perDevice.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(1000);
        assertThat(perDevice.keySet()).as("devices used").hasSizeGreaterThanOrEqualTo(95);
        assertThat(perDevice.values()).as("commands per device, 10 on average").allMatch(n -> n <= 25);
    }

    @Test
    void inFlightCommandsCountUntilTheNextLoadReport() {
        online(acme, device("d1"));
        double before = acme.find("d1").load();
        router.route(acme, command(Requirements.ANY, AgentAction.TAP));
        router.route(acme, command(Requirements.ANY, AgentAction.TAP));

        assertThat(acme.find("d1").inFlight.get()).isEqualTo(2);
        assertThat(acme.find("d1").load()).isGreaterThan(before);
        Fleets.load(acme, "d1", 0.5, 2);
        assertThat(acme.find("d1").inFlight.get()).isZero();
    }

    @Test
    void nearestPrefersTheRegionThenTheLowestRoundTrip() {
        online(acme, device("far-fast").region("us-east-1").rtt(5), device("near-slow").region("eu-west-1").rtt(80),
                device("near-fast").region("eu-west-1").rtt(20));
        CommandRequested inRegion = new CommandRequested("c1", null, null, RoutingStrategy.NEAREST,
                new Requirements(null, null, null, false, null, "eu-west-1"), new CommandAction(AgentAction.TAP, null), null);
        CommandRequested elsewhere = new CommandRequested("c2", null, null, RoutingStrategy.NEAREST,
                new Requirements(null, null, null, false, null, "ap-south-1"), new CommandAction(AgentAction.TAP, null), null);

        assertThat(targets(router.route(acme, inRegion))).containsExactly("near-fast");
        Target fallback = ((Routed) router.route(acme, elsewhere)).targets().get(0);
        assertThat(fallback.deviceId()).isEqualTo("far-fast");
        assertThat(fallback.reason()).contains("none qualifies in ap-south-1");
    }

    @Test
    void nearestSpreadsABurstOverDevicesThatAreEquallyClose() {
        for (int d = 0; d < 10; d++) {
            online(acme, device("d" + d).rtt(20 + d));
        }
        Map<String, Integer> perDevice = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            targets(router.route(acme, new CommandRequested("c" + i, null, null, RoutingStrategy.NEAREST, null,
                    new CommandAction(AgentAction.TAP, null), null))).forEach(id -> perDevice.merge(id, 1, Integer::sum));
        }

        assertThat(perDevice).hasSize(10).allSatisfy((id, n) -> assertThat(n).isBetween(5, 15));
    }

    @Test
    void costFirstUsesTheCheapestTierThatHasADevice() {
        online(acme, device("edge-1").edge(), device("phone-1"));
        CommandRequested command = new CommandRequested("c1", null, null, RoutingStrategy.COST_FIRST, null,
                new CommandAction(AgentAction.TAP, null), null);

        assertThat(targets(router.route(acme, command))).containsExactly("phone-1");
        Router edgeFirst = new Router(new RouterPolicy(RoutingWeights.DEFAULT, new TierCosts(5, 1, 10), 2, 10, 0.9, RoutingStrategy.COST_FIRST),
                () -> random);
        Target target = ((Routed) edgeFirst.route(acme, command)).targets().get(0);
        assertThat(target.deviceId()).isEqualTo("edge-1");
        assertThat(target.placement()).isEqualTo(Placement.EDGE);
        assertThat(target.reason()).startsWith("COST_FIRST: EDGE (cost 1)");
    }

    @Test
    void broadcastReachesEveryOnlineDeviceMatchingTheSelector() {
        online(acme, device("a").labels(Map.of("fleet", "qa")), device("b").labels(Map.of("fleet", "qa")), device("c"));
        Fleets.add(acme, device("d").labels(Map.of("fleet", "qa")), LivenessStatus.OFFLINE);
        CommandRequested broadcast = new CommandRequested("c1", null, Delivery.BROADCAST, null,
                new Requirements(null, Map.of("fleet", "qa"), null, false, null, null), new CommandAction(AgentAction.HOME, null), null);

        assertThat(targets(router.route(acme, broadcast))).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void aBatchIsRoutedWholeOrRefusedWithEveryFailingCommandAndNothingCountsInFlight() {
        online(acme, device("d1"), device("d2").platform(Platform.IOS).actions(AgentAction.TAP));
        CommandBatchRequested ok = new CommandBatchRequested("b1", List.of(
                new CommandRequested("c1", "d1", null, null, null, new CommandAction(AgentAction.LAUNCH, null), null),
                new CommandRequested("c2", "d2", null, null, null, new CommandAction(AgentAction.TAP, null), null)));
        CommandBatchRequested bad = new CommandBatchRequested("b2", List.of(
                new CommandRequested("c1", "d1", null, null, null, new CommandAction(AgentAction.LAUNCH, null), null),
                new CommandRequested("c2", "d2", null, null, null, new CommandAction(AgentAction.LAUNCH, null), null),
                new CommandRequested("c3", "gone", null, null, null, new CommandAction(AgentAction.TAP, null), null)));

        Router.Batch routed = router.routeBatch(acme, ok);
        assertThat(routed.routed()).isTrue();
        assertThat(routed.targets()).extracting(targets -> targets.get(0).deviceId()).containsExactly("d1", "d2");
        int inFlight = acme.find("d1").inFlight.get();

        Router.Batch refused = router.routeBatch(acme, bad);
        assertThat(refused.routed()).isFalse();
        assertThat(refused.problems()).extracting(Problem::location, Problem::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple("data.commands[1].action.type", "command c2: device d2 does not support action 'Launch'"),
                org.assertj.core.groups.Tuple.tuple("data.commands[2].deviceId", "command c3: device gone is not registered in tenant acme"));
        assertThat(acme.find("d1").inFlight.get()).as("the refused batch's first command was given back").isEqualTo(inFlight);
    }

    @Test
    void anotherTenantsDeviceCannotEnterTheIndex() {
        assertThatThrownBy(() -> acme.registered("x", device("x").record("globex"))).hasMessageContaining("belongs to tenant globex");
    }

    @Test
    void inferenceGoesToTheAskingDeviceThenAnEdgeBoxThenTheCloud() {
        online(acme, device("phone").models("all-minilm-l6-v2"), device("other-phone"), device("edge-1").edge().models("all-minilm-l6-v2@stable"));
        InferenceRequested request = new InferenceRequested("i1", "all-minilm-l6-v2@stable", List.of("hello"), null, null, null);

        InferencePlacement onPhone = router.place(acme, request, "phone");
        InferencePlacement onEdge = router.place(acme, request, "other-phone");
        InferencePlacement inCloud = router.place(acme, new InferenceRequested("i2", "bge-small", List.of("hi"), null, null, null), "phone");

        assertThat(onPhone.placement()).isEqualTo(Placement.DEVICE);
        assertThat(onPhone.deviceId()).isEqualTo("phone");
        assertThat(onPhone.strategy()).isEqualTo(RoutingStrategy.COST_FIRST);
        assertThat(onEdge.placement()).isEqualTo(Placement.EDGE);
        assertThat(onEdge.deviceId()).isEqualTo("edge-1");
        assertThat(inCloud.placement()).isEqualTo(Placement.CLOUD);
        assertThat(inCloud.deviceId()).isNull();
        assertThat(inCloud.reason()).startsWith("COST_FIRST: cloud tier (cost 10)").contains("no edge box qualifies");
    }

    @Test
    void aBusyDeviceLeavesInferenceToTheCloud() {
        online(acme, device("phone").models("all-minilm-l6-v2"));
        Fleets.load(acme, "phone", 0.99, 4);

        InferencePlacement placement = router.place(acme, new InferenceRequested("i1", "all-minilm-l6-v2", List.of("x"), null, null, null), "phone");

        assertThat(placement.placement()).isEqualTo(Placement.CLOUD);
    }

    @Test
    void costsDecideTheInferenceOrder() {
        online(acme, device("phone").models("m"), device("edge-1").edge().models("m"));
        Router cloudFirst = new Router(new RouterPolicy(RoutingWeights.DEFAULT, new TierCosts(5, 5, 1), 2, 10, 0.9, RoutingStrategy.COST_FIRST),
                () -> random);

        assertThat(cloudFirst.place(acme, new InferenceRequested("i1", "m", List.of("x"), null, null, null), "phone").placement())
                .isEqualTo(Placement.CLOUD);
    }

    @Test
    void weightsAreNormalisedAndMustMakeSense() {
        RoutingWeights weights = new RoutingWeights(6, 3, 1);
        assertThat(weights.capability()).isCloseTo(0.6, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(weights.load()).isCloseTo(0.3, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(weights.responsiveness()).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-12));
        assertThatThrownBy(() -> new RoutingWeights(0, 0, 0)).hasMessageContaining("not all 0");
        assertThatThrownBy(() -> new RoutingWeights(-1, 1, 1)).hasMessageContaining("must be >= 0");
    }

    private static final CommandAction TAP = new CommandAction(AgentAction.TAP, Map.of("element", "[500,500]"));

    private static CommandRequested command(Requirements requirements, AgentAction action) {
        return new CommandRequested("c-" + System.nanoTime(), null, null, RoutingStrategy.LOAD_BALANCE, requirements,
                new CommandAction(action, null), null);
    }

    private static List<String> targets(RoutingDecision decision) {
        assertThat(decision).isInstanceOf(Routed.class);
        return ((Routed) decision).targets().stream().map(Target::deviceId).toList();
    }
}
