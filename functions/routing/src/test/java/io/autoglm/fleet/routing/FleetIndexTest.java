package io.autoglm.fleet.routing;

import io.autoglm.fleet.events.device.LivenessStatus;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.autoglm.fleet.routing.Fleets.device;
import static org.assertj.core.api.Assertions.assertThat;

class FleetIndexTest {

    private final FleetIndex fleet = new FleetIndex("acme");

    @Test
    void aDeviceIsRoutableOnlyWhenRegisteredAndOnlineWhicheverArrivesFirst() {
        fleet.statusChanged("d1", LivenessStatus.ONLINE);
        assertThat(fleet.onlineCount()).as("status before the record").isZero();
        fleet.registered("d1", device("d1").record("acme"));
        assertThat(fleet.onlineCount()).isEqualTo(1);

        fleet.statusChanged("d1", LivenessStatus.SUSPECT);
        assertThat(fleet.onlineCount()).isZero();
        fleet.statusChanged("d1", LivenessStatus.ONLINE);
        fleet.registered("d1", null);
        assertThat(fleet.onlineCount()).as("deregistered").isZero();
        assertThat(fleet.registeredCount()).isZero();
        fleet.statusChanged("d1", null);
        assertThat(fleet.find("d1")).as("nothing left to know").isNull();
    }

    @Test
    void samplingIsUniformOverQualifyingDevicesEvenWhenFewQualify() {
        for (int d = 0; d < 1000; d++) {
            Fleets.add(fleet, device("d" + d).labels(java.util.Map.of("shard", "s" + (d % 100))), LivenessStatus.ONLINE);
        }
        Eligibility shard7 = shard("s7");
        Random random = new Random(3);
        Map<String, Integer> drawn = new HashMap<>();
        for (int i = 0; i < 5000; i++) {
            List<DeviceEntry> sample = fleet.sample(shard7, 2, random);
            assertThat(sample).hasSize(2).doesNotHaveDuplicates();
            sample.forEach(e -> drawn.merge(e.deviceId, 1, Integer::sum));
        }

        assertThat(drawn).hasSize(10);
        assertThat(drawn.values()).allMatch(n -> n > 800 && n < 1200);
    }

    @Test
    void aSelectionFollowsDevicesAsTheyComeAndGo() {
        for (int d = 0; d < 1000; d++) {
            Fleets.add(fleet, device("d" + d).labels(java.util.Map.of("shard", "s" + (d % 100))), LivenessStatus.ONLINE);
        }
        assertThat(fleet.all(shard("s7"))).hasSize(10);

        fleet.statusChanged("d107", LivenessStatus.OFFLINE);
        fleet.registered("d207", null);
        Fleets.add(fleet, device("new").labels(java.util.Map.of("shard", "s7")), LivenessStatus.ONLINE);
        fleet.registered("d307", device("d307").labels(java.util.Map.of("shard", "moved")).record("acme"));

        assertThat(fleet.all(shard("s7"))).extracting(e -> e.deviceId)
                .contains("new").doesNotContain("d107", "d207", "d307").hasSize(8);
        Random random = new Random(5);
        for (int i = 0; i < 200; i++) {
            assertThat(fleet.sample(shard("s7"), 2, random)).extracting(e -> e.deviceId).doesNotContain("d107", "d207", "d307");
        }
    }

    private static Eligibility shard(String shard) {
        return Eligibility.forCommand(new io.autoglm.fleet.events.command.Requirements(null, java.util.Map.of("shard", shard), null, false,
                null, null), io.autoglm.fleet.events.device.AgentAction.TAP);
    }
}
