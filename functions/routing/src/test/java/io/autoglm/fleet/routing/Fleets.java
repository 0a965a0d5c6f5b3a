package io.autoglm.fleet.routing;

import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.events.device.DeviceCapabilities;
import io.autoglm.fleet.events.device.DeviceLoad;
import io.autoglm.fleet.events.device.DeviceRecord;
import io.autoglm.fleet.events.device.DeviceTier;
import io.autoglm.fleet.events.device.Gpu;
import io.autoglm.fleet.events.device.Hardware;
import io.autoglm.fleet.events.device.LivenessStatus;
import io.autoglm.fleet.events.device.Location;
import io.autoglm.fleet.events.device.Network;
import io.autoglm.fleet.events.device.NetworkType;
import io.autoglm.fleet.events.device.Platform;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/** Devices for routing tests, built field by field. */
final class Fleets {

    static final Instant AT = Instant.parse("2026-11-21T13:05:00Z");
    static final List<AgentAction> PHONE_ACTIONS = List.of(AgentAction.LAUNCH, AgentAction.TAP, AgentAction.TYPE, AgentAction.SWIPE,
            AgentAction.BACK, AgentAction.HOME, AgentAction.WAIT);

    private Fleets() {
    }

    /** A device being described. */
    static final class Device {
        final String id;
        Platform platform = Platform.ANDROID;
        DeviceTier tier = DeviceTier.DEVICE;
        int cores = 8;
        int memoryMb = 8192;
        Gpu gpu;
        String region = "eu-west-1";
        double rttMs = 40;
        Map<String, String> labels = Map.of();
        List<AgentAction> actions = PHONE_ACTIONS;
        List<String> models = List.of();

        Device(String id) {
            this.id = id;
        }

        Device platform(Platform value) {
            platform = value;
            return this;
        }

        Device edge() {
            platform = Platform.LINUX;
            tier = DeviceTier.EDGE;
            return this;
        }

        Device hardware(int cpuCores, int memory, Gpu accelerator) {
            cores = cpuCores;
            memoryMb = memory;
            gpu = accelerator;
            return this;
        }

        Device region(String value) {
            region = value;
            return this;
        }

        Device rtt(double value) {
            rttMs = value;
            return this;
        }

        Device labels(Map<String, String> value) {
            labels = value;
            return this;
        }

        Device actions(AgentAction... value) {
            actions = List.of(value);
            return this;
        }

        Device models(String... value) {
            models = List.of(value);
            return this;
        }

        DeviceRecord record(String tenant) {
            return new DeviceRecord(id, tenant, 1, new DeviceCapabilities(platform, tier, new Hardware(cores, memoryMb, gpu),
                    new Network(NetworkType.WIFI, 100, rttMs), new Location(region, null), labels, "1.4.2", actions, models),
                    "0".repeat(64), AT, AT);
        }
    }

    static Device device(String id) {
        return new Device(id);
    }

    /** Registers {@code device} in {@code fleet} with {@code status}. */
    static void add(FleetIndex fleet, Device device, LivenessStatus status) {
        fleet.registered(device.id, device.record(fleet.tenant()));
        if (status != null) {
            fleet.statusChanged(device.id, status);
        }
    }

    static void online(FleetIndex fleet, Device... devices) {
        for (Device device : devices) {
            add(fleet, device, LivenessStatus.ONLINE);
        }
    }

    static void load(FleetIndex fleet, String deviceId, double cpu, int queueDepth) {
        fleet.loadReported(deviceId, new DeviceLoad(cpu, cpu, null, queueDepth), null);
    }

    static EnumSet<Platform> none() {
        return EnumSet.noneOf(Platform.class);
    }
}
