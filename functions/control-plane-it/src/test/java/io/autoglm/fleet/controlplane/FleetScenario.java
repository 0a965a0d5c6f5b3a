package io.autoglm.fleet.controlplane;

import io.autoglm.fleet.events.EventFamily;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.Rejection;
import io.autoglm.fleet.events.command.CommandAction;
import io.autoglm.fleet.events.command.CommandBatchDispatched;
import io.autoglm.fleet.events.command.CommandDispatched;
import io.autoglm.fleet.events.command.CommandRequested;
import io.autoglm.fleet.events.command.Delivery;
import io.autoglm.fleet.events.command.Requirements;
import io.autoglm.fleet.events.command.RoutingStrategy;
import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.events.device.DeviceCapabilities;
import io.autoglm.fleet.events.device.DeviceDeclaration;
import io.autoglm.fleet.events.device.DeviceRegistered;
import io.autoglm.fleet.events.device.DeviceStatusChanged;
import io.autoglm.fleet.events.device.DeviceTier;
import io.autoglm.fleet.events.device.Hardware;
import io.autoglm.fleet.events.device.LivenessStatus;
import io.autoglm.fleet.events.device.Location;
import io.autoglm.fleet.events.device.Network;
import io.autoglm.fleet.events.device.NetworkType;
import io.autoglm.fleet.events.device.Platform;
import io.autoglm.fleet.events.device.RegistrationOutcome;
import io.autoglm.fleet.events.testing.PulsarEndpoints;
import io.autoglm.fleet.events.testing.RealPulsarExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The device control plane end to end on the real broker: devices of two tenants register, heartbeat every
 * second +-50%, a tenth of them fall silent, and commands are routed in both tenants. Subclasses say how the
 * functions run and how many devices there are.
 */
@ExtendWith(RealPulsarExtension.class)
abstract class FleetScenario {

    private static final URI SOURCE = URI.create("/it/control-plane");
    static final Path REPORT = Path.of(System.getProperty("control-plane.report", "target/control-plane"));

    private final int devicesPerTenant;
    private final int silencedPerTenant;

    FleetScenario(int devicesPerTenant) {
        this.devicesPerTenant = devicesPerTenant;
        this.silencedPerTenant = devicesPerTenant / 10;
    }

    /** The control plane under test; its dispatcher feeds it every tenant's events. */
    abstract ControlPlane start(PulsarEndpoints endpoints) throws Exception;

    /** Where this scenario's figures are written. */
    abstract String reportName();

    private final String tenantA = "cp-a-" + UUID.randomUUID().toString().substring(0, 8);
    private final String tenantB = "cp-b-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<String> tenants = List.of(tenantA, tenantB);

    @Test
    void devicesRegisterBeatFallSilentAndAreRoutedOnlyWithinTheirTenant(PulsarEndpoints endpoints) throws Exception {
        try (ControlPlane plane = start(endpoints);
             EventLog registry = new EventLog(plane.client, plane.topicsOf(tenants, EventFamily.DEVICE));
             EventLog liveness = new EventLog(plane.client, plane.topicsOf(tenants, EventFamily.LIVENESS));
             EventLog deviceCommands = new EventLog(plane.client, plane.topicsOf(tenants, EventFamily.DEVICE_COMMAND));
             EventLog commands = new EventLog(plane.client, plane.topicsOf(tenants, EventFamily.COMMAND))) {
            Map<String, Long> idle = plane.residentMegabytes();

            // 1. the devices register, two tenants
            for (String tenant : tenants) {
                for (int i = 0; i < devicesPerTenant; i++) {
                    register(plane, tenant, i, "reg-" + tenant + "-" + i);
                }
            }
            Supplier<Set<String>> answeredRequests = () -> registry.payloads(EventType.DEVICE_REGISTERED, DeviceRegistered.class).stream()
                    .map(DeviceRegistered::requestId).collect(Collectors.toSet());
            assertThat(EventLog.await(Duration.ofSeconds(120), () -> answeredRequests.get().size() >= 2 * devicesPerTenant))
                    .as("%d registrations answered, got %d", 2 * devicesPerTenant, answeredRequests.get().size()).isTrue();
            List<DeviceRegistered> registered = registry.payloads(EventType.DEVICE_REGISTERED, DeviceRegistered.class);
            // the dispatcher delivers at least once: on a loaded machine a request whose answer was slow is sent again,
            // and the registry answers the copy UNCHANGED; each device is still created exactly once
            assertThat(registered.stream().filter(r -> r.outcome() == RegistrationOutcome.CREATED).map(r -> r.device().deviceId()))
                    .hasSize(2 * devicesPerTenant).doesNotHaveDuplicates();
            assertThat(registered).filteredOn(r -> r.outcome() != RegistrationOutcome.CREATED)
                    .as("answers to redelivered copies").extracting(DeviceRegistered::outcome)
                    .allMatch(RegistrationOutcome.UNCHANGED::equals);
            assertThat(registry.of(EventType.DEVICE_REGISTRATION_REJECTED)).isEmpty();
            Map<String, String> deviceTenants = new LinkedHashMap<>();
            registered.forEach(r -> deviceTenants.put(r.device().deviceId(), r.device().tenant()));
            assertThat(deviceTenants).hasSize(2 * devicesPerTenant);
            deviceTenants.forEach((id, tenant) -> assertThat(id).startsWith("d-" + tenant + "-"));

            // registering again changes nothing
            for (int i = 0; i < 10; i++) {
                register(plane, tenantA, i, "again-" + i);
            }
            assertThat(EventLog.await(Duration.ofSeconds(30), () -> answeredRequests.get().size() >= 2 * devicesPerTenant + 10))
                    .isTrue();
            List<DeviceRegistered> again = registry.payloads(EventType.DEVICE_REGISTERED, DeviceRegistered.class).stream()
                    .filter(r -> r.requestId().startsWith("again-")).toList();
            assertThat(again).extracting(DeviceRegistered::requestId).hasSizeGreaterThanOrEqualTo(10).containsAll(
                    IntStream.range(0, 10).mapToObj(i -> "again-" + i).toList());
            assertThat(again).extracting(DeviceRegistered::outcome).containsOnly(RegistrationOutcome.UNCHANGED);
            assertThat(again).extracting(r -> r.device().deviceId()).allMatch(deviceTenants::containsKey);

            // 2. every device beats, each gap 1 s +- 50%
            try (HeartbeatLoad load = new HeartbeatLoad(plane.publisher, deviceTenants, 1000, 0.5)) {
                assertThat(EventLog.await(Duration.ofSeconds(90), () -> statuses(liveness, LivenessStatus.ONLINE).size() == deviceTenants.size()))
                        .as("every device ONLINE, got %d; %s", statuses(liveness, LivenessStatus.ONLINE).size(), diagnostics(plane, load)).isTrue();
                Thread.sleep(10_000);

                // 3. a tenth fall silent
                Set<String> silenced = new HashSet<>();
                for (String tenant : tenants) {
                    deviceTenants.entrySet().stream().filter(e -> e.getValue().equals(tenant)).map(Map.Entry::getKey)
                            .limit(silencedPerTenant).forEach(silenced::add);
                }
                silenced.forEach(load::silence);
                boolean allOffline = EventLog.await(Duration.ofSeconds(60), () -> statuses(liveness, LivenessStatus.OFFLINE).containsAll(silenced));
                assertThat(allOffline).as("the silenced devices OFFLINE: %d of %d; %s", statuses(liveness, LivenessStatus.OFFLINE).stream()
                        .filter(silenced::contains).count(), silenced.size(), diagnostics(plane, load)).isTrue();
                Thread.sleep(5_000);
                Map<String, Long> underLoad = plane.residentMegabytes();

                double messagesPerHeartbeat = plane.messagesPerHeartbeat();
                Set<String> suspectedLive = new HashSet<>(statuses(liveness, LivenessStatus.SUSPECT));
                suspectedLive.removeAll(silenced);
                report(liveness, load, silenced, suspectedLive, idle, underLoad, messagesPerHeartbeat, plane);

                assertThat(statuses(liveness, LivenessStatus.OFFLINE)).as("exactly the silenced devices went OFFLINE").isEqualTo(silenced);
                Map<String, LivenessStatus> latest = latestStatus(liveness);
                assertThat(suspectedLive).as("live devices suspected on a late heartbeat are ONLINE again")
                        .allSatisfy(id -> assertThat(latest.get(id)).isEqualTo(LivenessStatus.ONLINE));
                assertThat(messagesPerHeartbeat).as("messages written per heartbeat").isLessThanOrEqualTo(1.5);

                // 4. routing never crosses tenants and never picks a silent device
                Set<String> live = new HashSet<>(deviceTenants.keySet());
                live.removeAll(silenced);
                int perTenant = 60;
                for (String tenant : tenants) {
                    for (int i = 0; i < perTenant; i++) {
                        RoutingStrategy strategy = RoutingStrategy.values()[i % RoutingStrategy.values().length];
                        command(plane, tenant, new CommandRequested(tenant + "-c" + i, null, Delivery.UNICAST, strategy,
                                new Requirements(List.of(Platform.ANDROID), Map.of("pool", "p" + (i % 5)), null, false, null, "eu-west-1"),
                                new CommandAction(AgentAction.LAUNCH, Map.of("app", "Settings")), 60_000L));
                    }
                }
                String foreign = deviceTenants.entrySet().stream().filter(e -> e.getValue().equals(tenantB)).map(Map.Entry::getKey)
                        .filter(live::contains).findFirst().orElseThrow();
                command(plane, tenantA, new CommandRequested("cross-tenant", foreign, Delivery.UNICAST, null, null,
                        new CommandAction(AgentAction.HOME, null), null));
                command(plane, tenantB, new CommandRequested("broadcast-b", null, Delivery.BROADCAST, null,
                        new Requirements(null, Map.of("pool", "p2"), null, false, null, null), new CommandAction(AgentAction.HOME, null), null));
                long broadcastTargets = deviceTenants.entrySet().stream().filter(e -> e.getValue().equals(tenantB) && live.contains(e.getKey())
                        && pool(e.getKey(), registered).equals("p2")).count();

                assertThat(EventLog.await(Duration.ofSeconds(60), () -> deviceCommands.of(EventType.COMMAND_DISPATCHED).size()
                        >= 2 * perTenant + broadcastTargets && !commands.of(EventType.COMMAND_REJECTED).isEmpty()
                        && !commands.of(EventType.COMMAND_BATCH_DISPATCHED).isEmpty())).isTrue();
                List<EventLog.Seen> dispatched = deviceCommands.of(EventType.COMMAND_DISPATCHED);
                assertThat(dispatched).hasSize((int) (2 * perTenant + broadcastTargets));
                for (EventLog.Seen seen : dispatched) {
                    CommandDispatched command = seen.payload(CommandDispatched.class);
                    String topicTenant = seen.topic().endsWith(plane.topics.events(tenantA, EventFamily.DEVICE_COMMAND)) ? tenantA : tenantB;
                    assertThat(command.tenant()).isEqualTo(topicTenant).isEqualTo(Events.tenant(seen.event()));
                    assertThat(deviceTenants.get(command.deviceId())).as("the device's own tenant").isEqualTo(topicTenant);
                    assertThat(live).as("only ONLINE devices").contains(command.deviceId());
                    assertThat(seen.key()).as("keyed by device id").isEqualTo(command.deviceId());
                }
                assertThat(commands.payloads(EventType.COMMAND_REJECTED, Rejection.class)).singleElement()
                        .satisfies(r -> assertThat(r.problems().get(0).message()).isEqualTo("device " + foreign + " is not registered in tenant " + tenantA));
                assertThat(commands.payloads(EventType.COMMAND_BATCH_DISPATCHED, CommandBatchDispatched.class)).singleElement()
                        .satisfies(b -> assertThat(b.commands()).hasSize((int) broadcastTargets));
                assertThat(plane.dispatched().deadLettered()).as("events dead-lettered (refused by a function, or failing every attempt)").isZero();
            }
        }
    }

    private static String diagnostics(ControlPlane plane, HeartbeatLoad load) {
        return String.format(Locale.ROOT, "heartbeats sent %d; dispatcher %s; heartbeat function %s", load.sent.sum(), plane.dispatched(),
                plane.heartbeatCounters());
    }

    private static Map<String, LivenessStatus> latestStatus(EventLog liveness) {
        Map<String, DeviceStatusChanged> latest = new HashMap<>();
        liveness.payloads(EventType.DEVICE_STATUS_CHANGED, DeviceStatusChanged.class).forEach(change -> latest.merge(change.deviceId(), change,
                (a, b) -> b.changedAt().isAfter(a.changedAt()) ? b : a));
        return latest.values().stream().collect(Collectors.toMap(DeviceStatusChanged::deviceId, DeviceStatusChanged::current));
    }

    private static Set<String> statuses(EventLog liveness, LivenessStatus status) {
        return liveness.payloads(EventType.DEVICE_STATUS_CHANGED, DeviceStatusChanged.class).stream()
                .filter(change -> change.current() == status).map(DeviceStatusChanged::deviceId).collect(Collectors.toSet());
    }

    /** Publishes the registration request of the {@code i}th device of {@code tenant} (a phone of pool {@code p<i % 5>}). */
    static void register(ControlPlane plane, String tenant, int i, String requestId) {
        DeviceCapabilities capabilities = new DeviceCapabilities(i % 7 == 0 ? Platform.HARMONYOS : Platform.ANDROID, DeviceTier.DEVICE,
                new Hardware(4 + i % 5, 4096 + 1024 * (i % 8), null), new Network(NetworkType.WIFI, 100, 20 + i % 80),
                new Location(i % 2 == 0 ? "eu-west-1" : "eu-central-1", null), Map.of("pool", "p" + (i % 5)), "1.4.2",
                List.of(AgentAction.LAUNCH, AgentAction.TAP, AgentAction.TYPE, AgentAction.SWIPE, AgentAction.BACK, AgentAction.HOME),
                List.of());
        DeviceDeclaration declaration = new DeviceDeclaration(tenant, capabilities, Map.of("serial", "SN-" + i + "-" + tenant.hashCode(),
                "mac", String.format(Locale.ROOT, "3c:22:fb:%02x:%02x:%02x", i >> 16 & 0xff, i >> 8 & 0xff, i & 0xff)));
        plane.publisher.publish(Events.newEvent(EventType.DEVICE_REGISTRATION_REQUESTED, SOURCE, tenant, "sn-" + i, declaration)
                .withId(requestId).build()).join();
    }

    private static void command(ControlPlane plane, String tenant, CommandRequested command) {
        plane.publisher.publish(Events.newEvent(EventType.COMMAND_REQUESTED, SOURCE, tenant, null, command).build()).join();
    }

    private static String pool(String deviceId, List<DeviceRegistered> registered) {
        return registered.stream().filter(r -> r.device().deviceId().equals(deviceId)).findFirst().orElseThrow()
                .device().capabilities().labels().get("pool");
    }

    /** Writes what the run measured (detection delay, memory, messages per heartbeat) next to the build's other reports. */
    private void report(EventLog liveness, HeartbeatLoad load, Set<String> silenced, Set<String> suspectedLive, Map<String, Long> idle,
                               Map<String, Long> underLoad, double messagesPerHeartbeat, ControlPlane plane) throws Exception {
        List<Long> delays = new ArrayList<>();
        Map<String, Long> offlineAt = new HashMap<>();
        liveness.payloads(EventType.DEVICE_STATUS_CHANGED, DeviceStatusChanged.class).stream()
                .filter(change -> change.current() == LivenessStatus.OFFLINE)
                .forEach(change -> offlineAt.put(change.deviceId(), change.changedAt().toEpochMilli()));
        silenced.forEach(id -> delays.add(offlineAt.get(id) - load.lastSent.get(id)));
        delays.sort(Long::compare);
        String text = String.format(Locale.ROOT, "%s; %d devices in 2 tenants, heartbeat every 1 s +- 50%%%n"
                        + "detection delay (OFFLINE - last heartbeat sent), %d devices: p50 %d ms, p99 %d ms, max %d ms%n"
                        + "live devices suspected at some point (a heartbeat later than their SUSPECT gap): %d%n"
                        + "heartbeats sent %d; messages written per heartbeat %.3f%n"
                        + "RSS MB idle %s, under load %s%n"
                        + "dispatcher: %s%n"
                        + "heartbeat function: %s%n"
                        + "load average at the end: %s%n",
                plane.describe(), 2 * devicesPerTenant, delays.size(), delays.get(delays.size() / 2),
                delays.get((int) Math.ceil(delays.size() * 0.99) - 1), delays.get(delays.size() - 1), suspectedLive.size(), load.sent.sum(),
                messagesPerHeartbeat, idle, underLoad, plane.dispatched(), plane.heartbeatCounters(),
                Files.readString(Path.of("/proc/loadavg")).trim());
        Files.createDirectories(REPORT);
        Files.writeString(REPORT.resolve(reportName()), text);
        System.out.print(text);
    }
}
