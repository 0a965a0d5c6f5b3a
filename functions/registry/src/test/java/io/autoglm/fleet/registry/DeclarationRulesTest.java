package io.autoglm.fleet.registry;

import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.events.device.DeviceCapabilities;
import io.autoglm.fleet.events.device.DeviceTier;
import io.autoglm.fleet.events.device.Gpu;
import io.autoglm.fleet.events.device.Location;
import io.autoglm.fleet.events.device.Platform;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DeclarationRulesTest {

    private final DeclarationRules rules = new DeclarationRules(AgentVersion.parse("1.2.0"));

    @Test
    void theSamplePhonePasses() {
        assertThat(rules.check("acme", Declarations.phone())).isEmpty();
    }

    @Test
    void theDeclarationMustBeForTheTenantTheEventIsSentAs() {
        assertThat(rules.check("globex", Declarations.phone()))
                .extracting(Problem::location, Problem::message)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("data.tenant",
                        "data.tenant 'acme' does not match the event's tenant 'globex': a device can only register in the tenant it sends as"));
        assertThat(rules.check(null, Declarations.phone())).extracting(Problem::location).containsExactly("tenant");
    }

    @Test
    void onlyLinuxHostsAreEdgeBoxes() {
        DeviceCapabilities phone = Declarations.phone().capabilities();
        DeviceCapabilities edgePhone = Declarations.capabilities(Platform.ANDROID, DeviceTier.EDGE, phone.hardware(), phone.location(),
                phone.labels(), phone.agentVersion(), phone.supportedActions());

        assertThat(locations(Declarations.with(edgePhone))).containsExactly("data.capabilities.tier");
    }

    @Test
    void aPhoneGpuCannotHaveMoreMemoryThanThePhone() {
        assertThat(rules.check("acme", Declarations.with(Declarations.phoneWithGpu(new Gpu("Adreno 750", 65536, "7.5")))))
                .extracting(Problem::message)
                .containsExactly("data.capabilities.hardware.gpu.memoryMb 65536 exceeds the device's memory 12288 MB: "
                        + "a ANDROID GPU shares the device's memory");
    }

    @Test
    void actionsThePlatformCannotPerformAreNamedOneByOne() {
        List<AgentAction> actions = List.of(AgentAction.TAP, AgentAction.LAUNCH, AgentAction.HOME, AgentAction.BACK);

        assertThat(locations(Declarations.with(Declarations.phoneWith(Platform.IOS, actions))))
                .containsExactly("data.capabilities.supportedActions[3]");
        assertThat(rules.check("acme", Declarations.with(Declarations.phoneWith(Platform.WASM, actions))))
                .extracting(Problem::message)
                .containsExactly(
                        "data.capabilities.hardware.gpu must be absent for platform WASM: a WASM runtime reaches no GPU directly",
                        "data.capabilities.supportedActions[1] 'Launch' is not possible on WASM: a WASM runtime has no apps to launch",
                        "data.capabilities.supportedActions[2] 'Home' is not possible on WASM: a WASM runtime has no home screen",
                        "data.capabilities.supportedActions[3] 'Back' is not possible on WASM: a WASM runtime has no system Back action");
    }

    @Test
    void anAgentOlderThanTheMinimumMustUpgrade() {
        DeviceCapabilities phone = Declarations.phone().capabilities();
        DeviceCapabilities old = Declarations.capabilities(phone.platform(), phone.tier(), phone.hardware(), phone.location(), phone.labels(),
                "1.1.9", phone.supportedActions());

        assertThat(rules.check("acme", Declarations.with(old))).extracting(Problem::message)
                .containsExactly("data.capabilities.agentVersion 1.1.9 is older than the oldest supported agent 1.2.0: upgrade the agent");
    }

    @Test
    void everyBrokenRuleIsReportedAtOnce() {
        DeviceCapabilities phone = Declarations.phone().capabilities();
        DeviceCapabilities broken = Declarations.capabilities(Platform.WASM, DeviceTier.EDGE, phone.hardware(),
                new Location("eu-west-1", "us-east-1a"), Map.of("autoglm.io/trusted", "true"), "0.9.0",
                List.of(AgentAction.TAP, AgentAction.HOME));

        assertThat(rules.check("globex", new io.autoglm.fleet.events.device.DeviceDeclaration("acme", broken,
                Map.of("mac", "02:00:00:00:00:00", "serial", "unknown"))))
                .extracting(Problem::location)
                .containsExactly("data.tenant", "data.capabilities.tier", "data.capabilities.hardware.gpu",
                        "data.capabilities.supportedActions[1]", "data.capabilities.agentVersion", "data.capabilities.location.zone",
                        "data.capabilities.labels.autoglm.io/trusted", "data.fingerprint.mac", "data.fingerprint.serial");
    }

    @Test
    void placeholderFingerprintsAreRefusedBecauseTheyWouldMergeDevices() {
        assertThat(rules.check("acme", Declarations.withFingerprint(Map.of("mac", "02:00:00:00:00:00", "serial", "R5CT1234ABC"))))
                .extracting(Problem::message)
                .containsExactly("data.fingerprint.mac '02:00:00:00:00:00' is a placeholder many devices share (Android's masked MAC): "
                        + "leave it out or send the real identifier, or unrelated devices would get one id");
        assertThat(locations(Declarations.withFingerprint(Map.of("imei", "000000000000000")))).containsExactly("data.fingerprint.imei");
    }

    private List<String> locations(io.autoglm.fleet.events.device.DeviceDeclaration declaration) {
        return rules.check("acme", declaration).stream().map(Problem::location).toList();
    }
}
