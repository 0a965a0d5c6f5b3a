package io.autoglm.fleet.functions.runtime;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.events.device.DeviceHeartbeat;
import io.autoglm.fleet.events.device.DeviceStatusChanged;
import io.autoglm.fleet.events.device.LivenessStatus;
import io.autoglm.fleet.events.validation.InvalidEventException;
import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEvent;
import io.quarkus.funqy.knative.events.CloudEventMapping;

import java.util.List;

/** A function for the runtime's own tests: answers a heartbeat with an ONLINE status change. */
public class StatusEchoFunction {

    static final long INVALID_SEQ = 13;
    static final long FAILING_SEQ = 666;

    @Funq
    @CloudEventMapping(trigger = "io.autoglm.device.heartbeat")
    public CloudEvent<DeviceStatusChanged> echo(CloudEvent<DeviceHeartbeat> heartbeat) {
        DeviceHeartbeat data = heartbeat.data();
        if (data.seq() == INVALID_SEQ) {
            throw new InvalidEventException(List.of(new Problem("data.seq", "data.seq 13 is refused by this function")));
        }
        if (data.seq() == FAILING_SEQ) {
            throw new IllegalStateException("the store is down");
        }
        DeviceStatusChanged changed = new DeviceStatusChanged(data.deviceId(), Replies.tenant(heartbeat), null,
                LivenessStatus.ONLINE, "first heartbeat", data.seq(), data.sentAt(), data.sentAt());
        return Replies.reply(EventType.DEVICE_STATUS_CHANGED, changed, Replies.tenant(heartbeat), data.deviceId());
    }
}
