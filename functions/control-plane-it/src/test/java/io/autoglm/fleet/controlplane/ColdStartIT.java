package io.autoglm.fleet.controlplane;

import io.autoglm.fleet.events.EventFamily;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.device.DeviceRegistered;
import io.autoglm.fleet.events.device.DeviceStatusChanged;
import io.autoglm.fleet.events.testing.PulsarEndpoints;
import io.autoglm.fleet.events.testing.RealPulsarExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first minute of a fleet on a control plane started cold: the functions as fresh processes (no tenant's tables
 * open yet), in a Pulsar namespace and for tenants that have never existed, fed over HTTP by the dispatcher running
 * the fleet's Triggers. Two hundred devices of two tenants register at once, as the local stack's fleet does, and
 * each starts to beat as soon as its registration is answered. Every device must have a status within 10 s of its
 * first heartbeat, and none may be left without one: the tables of a tenant must open long before the heartbeat
 * Trigger's attempts (4 x 5 s) run out, and a device whose first answers were lost all the same must be announced by
 * its later heartbeats.
 */
@ExtendWith(RealPulsarExtension.class)
class ColdStartIT {

    private static final int DEVICES_PER_TENANT = 100;
    private static final Duration WITHIN = Duration.ofSeconds(10);

    private final List<String> tenants = List.of("cold-a-" + UUID.randomUUID().toString().substring(0, 8),
            "cold-b-" + UUID.randomUUID().toString().substring(0, 8));

    @Test
    void everyDeviceHasAStatusWithinTenSecondsOfItsFirstHeartbeat(PulsarEndpoints endpoints) throws Exception {
        try (FunctionProcesses plane = new FunctionProcesses(endpoints, Map.of(), FleetScenario.REPORT.resolve("cold-start-logs"));
             EventLog registry = new EventLog(plane.client, plane.topicsOf(tenants, EventFamily.DEVICE));
             EventLog liveness = new EventLog(plane.client, plane.topicsOf(tenants, EventFamily.LIVENESS));
             HeartbeatLoad load = new HeartbeatLoad(plane.publisher, Map.of(), 1000, 0.15)) {
            long start = System.currentTimeMillis();
            for (int i = 0; i < DEVICES_PER_TENANT; i++) {
                for (String tenant : tenants) {
                    FleetScenario.register(plane, tenant, i, "reg-" + tenant + "-" + i);
                }
            }

            // a device beats once it has its id, as an agent does; then every device gets its chance to be seen
            Map<String, String> beating = new LinkedHashMap<>();
            EventLog.await(Duration.ofSeconds(120), () -> {
                for (DeviceRegistered registered : registry.payloads(EventType.DEVICE_REGISTERED, DeviceRegistered.class)) {
                    String deviceId = registered.device().deviceId();
                    if (beating.putIfAbsent(deviceId, registered.device().tenant()) == null) {
                        load.start(deviceId, registered.device().tenant());
                    }
                }
                return beating.size() == tenants.size() * DEVICES_PER_TENANT && firstStatusSeen(liveness).keySet().containsAll(beating.keySet());
            });
            assertThat(beating).as("registered devices").hasSize(tenants.size() * DEVICES_PER_TENANT);
            EventLog.await(WITHIN.plusSeconds(5), () -> firstStatusSeen(liveness).keySet().containsAll(beating.keySet()));

            Map<String, Long> seen = firstStatusSeen(liveness);
            Map<String, Long> delays = new HashMap<>();
            List<String> without = new ArrayList<>();
            beating.keySet().forEach(device -> {
                Long first = load.firstSent.get(device);
                Long status = seen.get(device);
                if (status == null || first == null) {
                    without.add(device);
                } else {
                    delays.put(device, status - first);
                }
            });
            String report = report(start, load, delays, without, plane);
            assertThat(without).as("devices left without a status; %s", report).isEmpty();
            assertThat(delays).as("first status later than %s after the first heartbeat; %s", WITHIN, report)
                    .allSatisfy((device, delay) -> assertThat(delay).isLessThanOrEqualTo(WITHIN.toMillis()));
        }
    }

    /** When each device's first status change was seen on the bus, epoch ms. */
    private static Map<String, Long> firstStatusSeen(EventLog liveness) {
        Map<String, Long> first = new HashMap<>();
        for (EventLog.Seen seen : liveness.of(EventType.DEVICE_STATUS_CHANGED)) {
            first.merge(seen.payload(DeviceStatusChanged.class).deviceId(), seen.seenAtMillis(), Math::min);
        }
        return first;
    }

    private String report(long start, HeartbeatLoad load, Map<String, Long> delays, List<String> without, FunctionProcesses plane)
            throws Exception {
        List<Long> sorted = delays.values().stream().sorted().toList();
        long firstHeartbeat = load.firstSent.values().stream().mapToLong(Long::longValue).min().orElse(start);
        String text = String.format(Locale.ROOT, "cold start, %d devices in %d tenants registering at once: first heartbeat %d ms after the "
                        + "first registration; first status - first heartbeat: p50 %d ms, p99 %d ms, max %d ms; without a status: %d%n"
                        + "dispatcher: %s%nheartbeat function: %s%n",
                tenants.size() * DEVICES_PER_TENANT, tenants.size(), firstHeartbeat - start, percentile(sorted, 0.5), percentile(sorted, 0.99),
                sorted.isEmpty() ? -1 : sorted.get(sorted.size() - 1), without.size(), plane.dispatched(), plane.heartbeatCounters());
        Files.createDirectories(FleetScenario.REPORT);
        Files.writeString(FleetScenario.REPORT.resolve("cold-start-it.txt"), text);
        System.out.print(text);
        return text;
    }

    private static long percentile(List<Long> sorted, double p) {
        return sorted.isEmpty() ? -1 : sorted.get((int) Math.ceil(sorted.size() * p) - 1);
    }
}
