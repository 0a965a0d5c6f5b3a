package io.autoglm.fleet.registry;

import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.events.device.DeviceCapabilities;
import io.autoglm.fleet.events.device.DeviceDeclaration;
import io.autoglm.fleet.events.device.DeviceTier;
import io.autoglm.fleet.events.device.Gpu;
import io.autoglm.fleet.events.device.Hardware;
import io.autoglm.fleet.events.device.Location;
import io.autoglm.fleet.events.device.Platform;
import io.autoglm.fleet.events.fixtures.SamplePayloads;

import java.util.List;
import java.util.Map;

/** The contract's sample phone declaration, and copies of it with one thing changed. */
final class Declarations {

    private Declarations() {
    }

    static DeviceDeclaration phone() {
        return SamplePayloads.declaration();
    }

    static DeviceDeclaration with(DeviceCapabilities capabilities) {
        return new DeviceDeclaration(SamplePayloads.TENANT, capabilities, phone().fingerprint());
    }

    static DeviceDeclaration withFingerprint(Map<String, String> fingerprint) {
        return new DeviceDeclaration(SamplePayloads.TENANT, phone().capabilities(), fingerprint);
    }

    static DeviceCapabilities capabilities(Platform platform, DeviceTier tier, Hardware hardware, Location location, Map<String, String> labels,
                                           String agentVersion, List<AgentAction> actions) {
        DeviceCapabilities phone = phone().capabilities();
        return new DeviceCapabilities(platform, tier, hardware, phone.network(), location, labels, agentVersion, actions, phone.models());
    }

    static DeviceCapabilities phoneWith(Platform platform, List<AgentAction> actions) {
        DeviceCapabilities phone = phone().capabilities();
        return capabilities(platform, phone.tier(), phone.hardware(), phone.location(), phone.labels(), phone.agentVersion(), actions);
    }

    static DeviceCapabilities phoneWithGpu(Gpu gpu) {
        DeviceCapabilities phone = phone().capabilities();
        Hardware hardware = new Hardware(phone.hardware().cpuCores(), phone.hardware().memoryMb(), gpu);
        return capabilities(phone.platform(), phone.tier(), hardware, phone.location(), phone.labels(), phone.agentVersion(),
                phone.supportedActions());
    }
}
