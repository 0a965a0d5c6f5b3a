package io.autoglm.fleet.simulator;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.device.DeviceHeartbeat;
import io.autoglm.fleet.events.validation.EventValidator;
import io.cloudevents.CloudEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SimulatedFleetTest {

    private static final Instant START = Instant.parse("2026-11-21T12:00:00Z");
    private static final FleetBehaviour QUIET = new FleetBehaviour(Duration.ofSeconds(1), 0, Duration.ofSeconds(8),
            Duration.ofSeconds(20), 0, 0, Duration.ofHours(1), 10, Duration.ofSeconds(10));

    /** Runs the fleet for {@code seconds}, answering registrations at once; returns everything sent. */
    private static List<Outgoing> run(SimulatedFleet fleet, int seconds) {
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
            sent.addAll(outgoing);
        }
        return sent;
    }

    private static List<CloudEvent> ofType(List<Outgoing> sent, EventType type) {
        return sent.stream().flatMap(o -> o.events().stream()).filter(e -> e.getType().equals(type.type())).toList();
    }

    @Test
    void devicesRegisterOnceAnsweredThenBeatAboutOncePerIntervalInOrder() {
        SimulatedFleet fleet = new SimulatedFleet(20, List.of("acme", "globex"), QUIET, 7, START, false);

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
        SimulatedFleet fleet = new SimulatedFleet(1, List.of("acme"), QUIET, 3, START, false);
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
        SimulatedFleet fleet = new SimulatedFleet(10, List.of("acme"), flaky, 11, START, true);

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

    @Test
    void commandsFlowAtTheirRateAndInferenceComesInBatches() {
        FleetBehaviour busy = new FleetBehaviour(Duration.ofSeconds(1), 0, Duration.ofSeconds(8), Duration.ofSeconds(20),
                4, 0.25, Duration.ofSeconds(5), 12, Duration.ofSeconds(10));
        SimulatedFleet fleet = new SimulatedFleet(4, List.of("acme", "globex"), busy, 5, START, true);

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
