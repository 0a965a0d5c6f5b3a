package io.autoglm.fleet.simulator;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.command.CommandBatchRequested;
import io.autoglm.fleet.events.command.CommandRequested;
import io.autoglm.fleet.events.command.Requirements;
import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.events.device.DeviceCapabilities;
import io.autoglm.fleet.events.device.DeviceHeartbeat;
import io.autoglm.fleet.events.device.LivenessStatus;
import io.autoglm.fleet.events.validation.EventValidator;
import io.cloudevents.CloudEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

class SimulatedFleetTest {

    private static final Instant START = Instant.parse("2026-11-21T12:00:00Z");
    private static final FleetBehaviour QUIET = new FleetBehaviour(Duration.ofSeconds(1), 0, Duration.ofSeconds(8),
            Duration.ofSeconds(20), 0, 0, Duration.ofHours(1), 10, Duration.ofSeconds(10));

    /** Runs the fleet for {@code seconds}, answering registrations at once, every registered device ONLINE; returns everything sent. */
    private static List<Outgoing> run(SimulatedFleet fleet, int seconds) {
        return run(fleet, seconds, device -> LivenessStatus.ONLINE);
    }

    /** As above, each registered device getting the status {@code statusOf} says (none when null). */
    private static List<Outgoing> run(SimulatedFleet fleet, int seconds, Function<SimulatedDevice, LivenessStatus> statusOf) {
        List<Outgoing> sent = new ArrayList<>();
        for (int tick = 0; tick <= seconds * 10; tick++) {
            Instant now = START.plusMillis(tick * 100L);
            List<Outgoing> outgoing = fleet.tick(now);
            for (Outgoing out : outgoing) {
                CloudEvent event = out.events().get(0);
                if (event.getType().equals(EventType.DEVICE_REGISTRATION_REQUESTED.type())) {
                    fleet.registered(event.getId(), "dev-" + Events.partitionKey(event), now);
                }
            }
            for (SimulatedDevice device : fleet.devices()) {
                LivenessStatus status = statusOf.apply(device);
                if (device.registered() && device.status() != status && status != null) {
                    fleet.statusChanged(device.deviceId(), status);
                }
            }
            sent.addAll(outgoing);
        }
        return sent;
    }

    private static List<CloudEvent> ofType(List<Outgoing> sent, EventType type) {
        return sent.stream().flatMap(o -> o.events().stream()).filter(e -> e.getType().equals(type.type())).toList();
    }

    @Test
    void devicesRegisterOnceAnsweredThenBeatAboutOncePerIntervalInOrder() {
        SimulatedFleet fleet = new SimulatedFleet(20, List.of("acme", "globex"), QUIET, 7, START, false, false);

        List<Outgoing> sent = run(fleet, 30);

        assertThat(ofType(sent, EventType.DEVICE_REGISTRATION_REQUESTED)).hasSize(20)
                .allSatisfy(event -> assertThat(EventValidator.standard().validate(event).isValid()).isTrue());
        Map<String, List<Long>> seqs = new HashMap<>();
        for (CloudEvent heartbeat : ofType(sent, EventType.DEVICE_HEARTBEAT)) {
            seqs.computeIfAbsent(Events.partitionKey(heartbeat), k -> new ArrayList<>())
                    .add(Events.payload(heartbeat, DeviceHeartbeat.class).seq());
        }
        assertThat(seqs).hasSize(20);
        seqs.values().forEach(list -> assertThat(list).isSorted().doesNotHaveDuplicates().hasSizeBetween(20, 40));
        assertThat(sent).filteredOn(o -> o.events().get(0).getType().equals(EventType.DEVICE_HEARTBEAT.type()))
                .allSatisfy(o -> assertThat(o.mode()).isEqualTo(Outgoing.Mode.BINARY));
        assertThat(fleet.devices()).extracting(SimulatedDevice::tenant).containsOnly("acme", "globex");
    }

    @Test
    void anUnansweredRegistrationIsSentAgainAfterTheRetryDelay() {
        SimulatedFleet fleet = new SimulatedFleet(1, List.of("acme"), QUIET, 3, START, false, false);
        List<CloudEvent> registrations = new ArrayList<>();
        for (int tick = 0; tick <= 250; tick++) {
            fleet.tick(START.plusMillis(tick * 100L)).forEach(o -> registrations.addAll(o.events()));
        }
        assertThat(registrations).hasSizeBetween(2, 3).extracting(CloudEvent::getId).doesNotHaveDuplicates();
    }

    @Test
    void devicesDropOutAndComeBack() {
        FleetBehaviour flaky = new FleetBehaviour(Duration.ofSeconds(1), 0.05, Duration.ofSeconds(5), Duration.ofSeconds(6),
                0, 0, Duration.ofHours(1), 10, Duration.ofSeconds(10));
        SimulatedFleet fleet = new SimulatedFleet(10, List.of("acme"), flaky, 11, START, true, false);

        List<Outgoing> sent = run(fleet, 120);

        Map<String, List<Instant>> beats = new HashMap<>();
        for (CloudEvent heartbeat : ofType(sent, EventType.DEVICE_HEARTBEAT)) {
            beats.computeIfAbsent(Events.partitionKey(heartbeat), k -> new ArrayList<>())
                    .add(Events.payload(heartbeat, DeviceHeartbeat.class).sentAt());
        }
        long silences = beats.values().stream().mapToLong(times -> {
            long gaps = 0;
            for (int i = 1; i < times.size(); i++) {
                if (Duration.between(times.get(i - 1), times.get(i)).toSeconds() >= 5) {
                    gaps++;
                }
            }
            return gaps;
        }).sum();
        assertThat(silences).as("silences of 5 s or more, each followed by heartbeats again").isGreaterThan(5);
        assertThat(beats.keySet()).as("provisional ids when the registry is missing").allMatch(id -> id.startsWith("sim-"));
    }

    private static final FleetBehaviour COMMANDS = new FleetBehaviour(Duration.ofSeconds(1), 0, Duration.ofSeconds(8), Duration.ofSeconds(20),
            4, 0.25, Duration.ofHours(1), 12, Duration.ofSeconds(10));

    @Test
    void operatorsSendNoCommandWhileNoDeviceOfTheirTenantIsOnline() {
        SimulatedFleet fleet = new SimulatedFleet(10, List.of("acme", "globex"), COMMANDS, 5, START, true, false);

        List<Outgoing> sent = run(fleet, 20, device -> device.tenant().equals("acme") ? LivenessStatus.OFFLINE : LivenessStatus.ONLINE);

        List<CloudEvent> commands = new ArrayList<>(ofType(sent, EventType.COMMAND_REQUESTED));
        commands.addAll(ofType(sent, EventType.COMMAND_BATCH_REQUESTED));
        assertThat(commands).isNotEmpty().allSatisfy(command -> assertThat(Events.tenant(command)).isEqualTo("globex"));
    }

    @Test
    void everyCommandAsksForWhatADeviceOfItsTenantThatIsOnlineRegistered() {
        SimulatedFleet fleet = new SimulatedFleet(40, List.of("acme", "globex"), COMMANDS, 9, START, true, false);
        // half the fleet ONLINE, the rest SUSPECT or OFFLINE
        Function<SimulatedDevice, LivenessStatus> statusOf = device -> switch (Math.floorMod(device.serial().hashCode(), 4)) {
            case 0, 1 -> LivenessStatus.ONLINE;
            case 2 -> LivenessStatus.SUSPECT;
            default -> LivenessStatus.OFFLINE;
        };

        List<Outgoing> sent = run(fleet, 30, statusOf);

        List<CommandRequested> commands = new ArrayList<>();
        List<String> tenants = new ArrayList<>();
        for (CloudEvent event : ofType(sent, EventType.COMMAND_REQUESTED)) {
            commands.add(Events.payload(event, CommandRequested.class));
            tenants.add(Events.tenant(event));
        }
        for (CloudEvent event : ofType(sent, EventType.COMMAND_BATCH_REQUESTED)) {
            for (CommandRequested command : Events.payload(event, CommandBatchRequested.class).commands()) {
                commands.add(command);
                tenants.add(Events.tenant(event));
            }
        }
        assertThat(commands).hasSizeGreaterThan(200);
        assertThat(commands).extracting(c -> c.action().type()).contains(AgentAction.LAUNCH, AgentAction.TAP, AgentAction.TYPE);
        for (int i = 0; i < commands.size(); i++) {
            CommandRequested command = commands.get(i);
            String tenant = tenants.get(i);
            assertThat(fleet.devices()).as("an ONLINE device of %s that can take %s", tenant, command).anySatisfy(device -> {
                assertThat(device.tenant()).isEqualTo(tenant);
                assertThat(device.status()).isEqualTo(LivenessStatus.ONLINE);
                DeviceCapabilities capabilities = device.declaration().capabilities();
                Requirements wanted = command.requirements();
                assertThat(wanted.platforms().isEmpty() || wanted.platforms().contains(capabilities.platform())).isTrue();
                assertThat(capabilities.supportedActions()).contains(command.action().type()).containsAll(wanted.actions());
                assertThat(capabilities.hardware().memoryMb()).isGreaterThanOrEqualTo(wanted.minMemoryMb() == null ? 0 : wanted.minMemoryMb());
            });
        }
    }

    @Test
    void commandsFlowAtTheirRateAndInferenceComesInBatches() {
        FleetBehaviour busy = new FleetBehaviour(Duration.ofSeconds(1), 0, Duration.ofSeconds(8), Duration.ofSeconds(20),
                4, 0.25, Duration.ofSeconds(5), 12, Duration.ofSeconds(10));
        SimulatedFleet fleet = new SimulatedFleet(4, List.of("acme", "globex"), busy, 5, START, true, false);

        List<Outgoing> sent = run(fleet, 20);

        int commands = ofType(sent, EventType.COMMAND_REQUESTED).size() + ofType(sent, EventType.COMMAND_BATCH_REQUESTED).size();
        assertThat(commands).isBetween(150, 170); // 4/s for 20 s, 2 tenants
        assertThat(ofType(sent, EventType.COMMAND_BATCH_REQUESTED)).isNotEmpty();
        List<Outgoing> bursts = sent.stream().filter(o -> o.mode() == Outgoing.Mode.BATCH).toList();
        assertThat(bursts).hasSizeBetween(7, 9).allSatisfy(burst -> assertThat(burst.events()).hasSize(12)
                .allSatisfy(e -> assertThat(e.getType()).isEqualTo(EventType.INFERENCE_REQUESTED.type())));
        assertThat(sent.stream().flatMap(o -> o.events().stream()))
                .allSatisfy(event -> assertThat(EventValidator.standard().validate(event).summary()).isEqualTo("valid"));
    }
}
