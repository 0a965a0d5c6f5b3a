package io.autoglm.fleet.simulator;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.command.CommandAction;
import io.autoglm.fleet.events.command.CommandBatchRequested;
import io.autoglm.fleet.events.command.CommandRequested;
import io.autoglm.fleet.events.command.Delivery;
import io.autoglm.fleet.events.command.Requirements;
import io.autoglm.fleet.events.command.RoutingStrategy;
import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.events.device.Battery;
import io.autoglm.fleet.events.device.DeviceCapabilities;
import io.autoglm.fleet.events.device.DeviceDeclaration;
import io.autoglm.fleet.events.device.DeviceHeartbeat;
import io.autoglm.fleet.events.device.DeviceLoad;
import io.autoglm.fleet.events.device.DeviceTier;
import io.autoglm.fleet.events.device.Gpu;
import io.autoglm.fleet.events.device.Hardware;
import io.autoglm.fleet.events.device.LivenessStatus;
import io.autoglm.fleet.events.device.Location;
import io.autoglm.fleet.events.device.Network;
import io.autoglm.fleet.events.device.NetworkType;
import io.autoglm.fleet.events.device.Platform;
import io.autoglm.fleet.events.inference.InferenceRequested;
import io.cloudevents.CloudEvent;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;

/**
 * The simulated fleet's behaviour, one tick at a time: devices register (again, when the registry
 * does not answer), heartbeat with jitter, drop out and come back; operators send commands (some as
 * all-or-nothing batches); apps send inference bursts. Deterministic for a seed and a clock: no
 * network, no threads; {@link #tick} says what to send.
 */
final class SimulatedFleet {

    static final String MODEL = "all-minilm-l6-v2";
    private static final List<String> REGIONS = List.of("eu-west-1", "eu-central-1", "us-east-1", "ap-southeast-1");
    private static final List<String> TEXTS = List.of("Open the settings and turn on dark mode.",
            "Book a table for two at eight tonight.", "What is the weather tomorrow in Berlin?",
            "Send the photos from yesterday to Anna.", "Play the next episode of the podcast.",
            "Find the cheapest flight to Lisbon in May.", "Turn off the alarm for Saturday.");

    private final FleetBehaviour behaviour;
    private final String run;
    private final Random random;
    private final List<SimulatedDevice> devices = new ArrayList<>();
    private final Map<String, SimulatedDevice> byRegistration = new HashMap<>();
    private final Map<String, SimulatedDevice> byDeviceId = new HashMap<>();
    private final Map<String, Instant> nextBurst = new HashMap<>();
    private final Map<String, Double> commandCredit = new HashMap<>();
    private final List<String> tenants;
    private final boolean provisionalIds;
    private final boolean throughGateway;
    private Instant lastTick;
    private long sequence;

    /**
     * @param provisionalIds give devices ids of their own instead of waiting for the registry (when the
     *                       registry function is missing, so heartbeats still flow)
     * @param throughGateway devices speak over their own socket to the device gateway (registrations, heartbeats) rather
     *                       than to the ingress sink
     */
    SimulatedFleet(int size, List<String> tenants, FleetBehaviour behaviour, long seed, Instant start, boolean provisionalIds,
                   boolean throughGateway) {
        this.behaviour = Objects.requireNonNull(behaviour);
        this.random = new Random(seed);
        this.tenants = List.copyOf(tenants);
        this.provisionalIds = provisionalIds;
        this.throughGateway = throughGateway;
        // ids of this run: the stack's tables outlive a run, and an earlier run's command of the same id is another command
        this.run = Long.toString(start.toEpochMilli() / 1000, 36);
        for (int i = 0; i < size; i++) {
            String tenant = tenants.get(i % tenants.size());
            String serial = String.format("%s-%04d", tenant, i / tenants.size());
            // one device in five is on a jittery mobile link
            double jitter = random.nextInt(5) == 0 ? 0.5 : 0.15;
            devices.add(new SimulatedDevice(tenant, serial, declaration(tenant, serial), behaviour.heartbeatInterval(), jitter));
        }
        for (int i = 0; i < tenants.size(); i++) {
            // tenants burst at different moments
            nextBurst.put(tenants.get(i), start.plus(behaviour.burstEvery().dividedBy(tenants.size() + 1).multipliedBy(i + 1)));
            commandCredit.put(tenants.get(i), 0.0);
        }
        lastTick = start;
    }

    List<SimulatedDevice> devices() {
        return devices;
    }

    /** The registered device of {@code deviceId}, if this fleet has it. */
    Optional<SimulatedDevice> device(String deviceId) {
        return Optional.ofNullable(byDeviceId.get(deviceId));
    }

    /** This run's mark in the ids it makes. */
    String run() {
        return run;
    }

    /** The registry answered a registration: the device gets its id and starts beating. */
    Optional<SimulatedDevice> registered(String registrationId, String deviceId, Instant now) {
        SimulatedDevice device = byRegistration.remove(registrationId);
        if (device != null && !device.registered()) {
            device.registered(deviceId, now.plusMillis(random.nextInt((int) behaviour.heartbeatInterval().toMillis())));
            byDeviceId.put(deviceId, device);
        }
        return Optional.ofNullable(device);
    }

    /**
     * The gateway issued {@code device} its credential: it is registered as {@code deviceId}, whichever of its registration
     * requests was answered (a late answer to an earlier attempt counts as much as one to the last).
     */
    void enrolled(SimulatedDevice device, String deviceId, Instant now) {
        byRegistration.values().remove(device);
        if (!device.registered()) {
            device.registered(deviceId, now.plusMillis(random.nextInt((int) behaviour.heartbeatInterval().toMillis())));
            byDeviceId.put(deviceId, device);
        }
    }

    /** The heartbeat function announced a device's new status: operators send commands only to what they see ONLINE. */
    void statusChanged(String deviceId, LivenessStatus status) {
        SimulatedDevice device = byDeviceId.get(deviceId);
        if (device != null) {
            device.status(status);
        }
    }

    /** What to send at {@code now}. */
    List<Outgoing> tick(Instant now) {
        List<Outgoing> outgoing = new ArrayList<>();
        for (SimulatedDevice device : devices) {
            if (!device.registered()) {
                register(device, now, outgoing);
            } else if (!device.silentAt(now) && !now.isBefore(device.nextHeartbeat())) {
                heartbeat(device, now, outgoing);
            }
        }
        double elapsed = Duration.between(lastTick, now).toNanos() / 1e9;
        lastTick = now;
        for (String tenant : tenants) {
            commands(tenant, elapsed, now, outgoing);
            if (!now.isBefore(nextBurst.get(tenant))) {
                nextBurst.put(tenant, now.plus(behaviour.burstEvery()));
                outgoing.add(burst(tenant, now));
            }
        }
        return outgoing;
    }

    private void register(SimulatedDevice device, Instant now, List<Outgoing> outgoing) {
        if (provisionalIds) {
            device.registered("sim-" + device.serial(), now.plusMillis(random.nextInt((int) behaviour.heartbeatInterval().toMillis())));
            byDeviceId.put(device.deviceId(), device);
            return;
        }
        if (device.registrationSentAt() != null && now.isBefore(device.registrationSentAt().plus(behaviour.registrationRetry()))) {
            return;
        }
        // first registrations are spread over the first seconds rather than sent at once
        if (device.registrationAttempts() == 0 && random.nextInt(20) != 0) {
            return;
        }
        byRegistration.remove(device.registrationId());
        device.registrationSent(now);
        byRegistration.put(device.registrationId(), device);
        CloudEvent event = Events.newEvent(EventType.DEVICE_REGISTRATION_REQUESTED, source("devices", device), device.tenant(),
                device.serial(), device.declaration()).withId(device.registrationId()).build();
        outgoing.add(throughGateway ? Outgoing.socket(device, event) : Outgoing.structured(device.tenant(), event));
    }

    private void heartbeat(SimulatedDevice device, Instant now, List<Outgoing> outgoing) {
        if (random.nextDouble() < behaviour.dropOutChance()) {
            long span = behaviour.silenceMax().toMillis() - behaviour.silenceMin().toMillis();
            device.dropOut(now.plus(behaviour.silenceMin()).plusMillis(span <= 0 ? 0 : random.nextLong(span)));
            return;
        }
        long seq = device.nextSeq();
        double load = 0.1 + random.nextDouble() * 0.7;
        DeviceHeartbeat payload = new DeviceHeartbeat(device.deviceId(), seq, now, new DeviceLoad(load, 0.3 + random.nextDouble() * 0.5,
                null, random.nextInt(3)), new Battery(0.2 + random.nextDouble() * 0.8, random.nextBoolean()), 20 + random.nextDouble() * 80);
        CloudEvent event = Events.newEvent(EventType.DEVICE_HEARTBEAT, source("devices", device), device.tenant(), device.deviceId(), payload)
                .withId(device.deviceId() + "-hb-" + seq).build();
        outgoing.add(throughGateway ? Outgoing.socket(device, event) : Outgoing.binary(device.tenant(), event));
        double spread = (random.nextDouble() * 2 - 1) * device.jitter();
        device.nextHeartbeat(now.plusMillis(Math.round(device.interval().toMillis() * (1 + spread))));
    }

    /**
     * An operator's commands: as a real one would, each for a device the console shows ONLINE, asking only for what that
     * device registered (its platform, an action it supports, no more memory than it has), so the router has at least
     * one device for it; none while the tenant has no device ONLINE. A rejection then means something (the device
     * left, the router saw another status).
     */
    private void commands(String tenant, double elapsed, Instant now, List<Outgoing> outgoing) {
        List<SimulatedDevice> online = devices.stream()
                .filter(d -> d.tenant().equals(tenant) && d.registered() && d.status() == LivenessStatus.ONLINE).toList();
        if (online.isEmpty()) {
            commandCredit.put(tenant, 0.0);
            return;
        }
        double credit = commandCredit.get(tenant) + elapsed * behaviour.commandsPerSecond();
        while (credit >= 1) {
            credit -= 1;
            URI source = URI.create("/operators/" + tenant + "/console");
            if (random.nextDouble() < behaviour.batchShare()) {
                String batchId = "batch-" + tenant + "-" + run + "-" + (++sequence);
                List<CommandRequested> commands = List.of(command(batchId + "-1", online), command(batchId + "-2", online),
                        command(batchId + "-3", online));
                outgoing.add(Outgoing.binary(tenant, Events.newEvent(EventType.COMMAND_BATCH_REQUESTED, source, tenant, null,
                        new CommandBatchRequested(batchId, commands)).withId(batchId).build()));
            } else {
                CommandRequested command = command("cmd-" + tenant + "-" + run + "-" + (++sequence), online);
                outgoing.add(Outgoing.binary(tenant, Events.newEvent(EventType.COMMAND_REQUESTED, source, tenant, null, command)
                        .withId(command.commandId()).build()));
            }
        }
        commandCredit.put(tenant, credit);
    }

    private CommandRequested command(String id, List<SimulatedDevice> online) {
        DeviceCapabilities target = online.get(random.nextInt(online.size())).declaration().capabilities();
        List<AgentAction> actions = target.supportedActions();
        AgentAction action = actions.get(random.nextInt(actions.size()));
        int memory = target.hardware().memoryMb();
        Requirements requirements = new Requirements(random.nextBoolean() ? List.of(target.platform()) : List.of(), Map.of(),
                random.nextBoolean() ? Math.min(memory, 4096) : null, false, List.of(action),
                random.nextInt(4) == 0 ? target.location().region() : null);
        RoutingStrategy strategy = RoutingStrategy.values()[random.nextInt(RoutingStrategy.values().length)];
        return new CommandRequested(id, null, Delivery.UNICAST, strategy, requirements,
                new CommandAction(action, switch (action) {
                    case LAUNCH -> Map.of("app", "Settings");
                    case TYPE -> Map.of("text", "dark mode");
                    default -> Map.of();
                }), 30_000L);
    }

    private Outgoing burst(String tenant, Instant now) {
        List<CloudEvent> requests = new ArrayList<>();
        URI source = URI.create("/apps/" + tenant + "/assistant");
        for (int i = 0; i < behaviour.burstSize(); i++) {
            String id = "inf-" + tenant + "-" + run + "-" + (++sequence);
            InferenceRequested request = new InferenceRequested(id, MODEL, List.of(TEXTS.get(random.nextInt(TEXTS.size()))), null,
                    RoutingStrategy.COST_FIRST, null);
            requests.add(Events.newEvent(EventType.INFERENCE_REQUESTED, source, tenant, null, request).withId(id).build());
        }
        return Outgoing.batch(tenant, requests);
    }

    private DeviceDeclaration declaration(String tenant, String serial) {
        int kind = random.nextInt(10);
        Platform platform = kind < 5 ? Platform.ANDROID : kind < 8 ? Platform.HARMONYOS : kind < 9 ? Platform.LINUX : Platform.WASM;
        boolean edge = platform == Platform.LINUX;
        String region = REGIONS.get(random.nextInt(REGIONS.size()));
        DeviceCapabilities capabilities = new DeviceCapabilities(platform, edge ? DeviceTier.EDGE : DeviceTier.DEVICE,
                new Hardware(edge ? 16 : 8, edge ? 32768 : 4096 + 2048 * random.nextInt(5),
                        edge ? new Gpu("RTX 4000 Ada", 20480, "8.9") : null),
                new Network(edge ? NetworkType.ETHERNET : random.nextBoolean() ? NetworkType.CELLULAR_5G : NetworkType.WIFI,
                        edge ? 1000 : 20 + random.nextInt(200), edge ? 5 : 20 + random.nextInt(120)),
                new Location(region, region + "a"), Map.of("fleet", "simulated"), "1.4.2",
                platform == Platform.WASM
                        // a WASM runtime has no apps, home screen or Back action: the registry refuses them
                        ? List.of(AgentAction.TAP, AgentAction.TYPE, AgentAction.SWIPE, AgentAction.LONG_PRESS, AgentAction.WAIT)
                        : List.of(AgentAction.LAUNCH, AgentAction.TAP, AgentAction.TYPE, AgentAction.SWIPE, AgentAction.BACK, AgentAction.HOME,
                                AgentAction.LONG_PRESS, AgentAction.DOUBLE_TAP, AgentAction.WAIT, AgentAction.OBSERVE),
                List.of());
        return new DeviceDeclaration(tenant, capabilities, Map.of("serial", serial.toUpperCase(), "board", "sim-" + platform.name()));
    }

    private static URI source(String kind, SimulatedDevice device) {
        return URI.create("/" + kind + "/" + device.tenant() + "/" + device.serial());
    }
}
