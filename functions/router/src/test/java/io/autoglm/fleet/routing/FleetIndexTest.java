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
            Fleets.add(fleet, device("d" + d), LivenessStatus.ONLINE);
        }
        Random random = new Random(3);
        Map<String, Integer> drawn = new HashMap<>();
        for (int i = 0; i < 3000; i++) {
            List<DeviceEntry> sample = fleet.sample(e -> e.deviceId.endsWith("7") && e.deviceId.length() == 3, 2, random);
            assertThat(sample).hasSize(2).doesNotHaveDuplicates();
            sample.forEach(e -> drawn.merge(e.deviceId, 1, Integer::sum));
        }

        assertThat(drawn).hasSize(9);
        assertThat(drawn.values()).allMatch(n -> n > 450 && n < 900);
    }
}
