package io.autoglm.fleet.triggers.testing;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.device.DeviceHeartbeat;
import io.autoglm.fleet.events.device.DeviceLoad;
import io.autoglm.fleet.events.device.DeviceStatusChanged;
import io.autoglm.fleet.events.device.LivenessStatus;
import io.autoglm.fleet.events.fixtures.SamplePayloads;
import io.cloudevents.CloudEvent;

import java.net.URI;
import java.time.Instant;

/** Contract events for bridge tests: heartbeats with a sequence number, and the status change a subscriber replies. */
public final class FleetEvents {

    public static final URI SOURCE = URI.create("/tests/bridge");

    private FleetEvents() {
    }

    public static CloudEvent heartbeat(String tenant, String device, long seq) {
        DeviceHeartbeat payload = new DeviceHeartbeat(device, seq, Instant.now(), new DeviceLoad(0.2, 0.3, 0.0, 1), null, 20.0);
        return Events.newEvent(EventType.DEVICE_HEARTBEAT, SOURCE, tenant, device, payload).withId(device + "-" + seq).build();
    }

    public static CloudEvent registration(String tenant, String device) {
        return Events.newEvent(EventType.DEVICE_REGISTRATION_REQUESTED, SOURCE, tenant, device, SamplePayloads.declaration())
                .withId("reg-" + device).build();
    }

    public static CloudEvent statusChanged(String tenant, String device, long seq) {
        DeviceStatusChanged payload = new DeviceStatusChanged(device, tenant, null, LivenessStatus.ONLINE, "first heartbeat",
                seq, Instant.now(), Instant.now());
        return Events.newEvent(EventType.DEVICE_STATUS_CHANGED, SOURCE, tenant, device, payload).withId("status-" + device + "-" + seq).build();
    }

    /** The heartbeat's sequence number. */
    public static long seq(CloudEvent heartbeat) {
        return Events.payload(heartbeat, DeviceHeartbeat.class).seq();
    }
}
