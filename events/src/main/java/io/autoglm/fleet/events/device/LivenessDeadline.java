package io.autoglm.fleet.events.device;

import java.time.Instant;
import java.util.Objects;

/**
 * Payload of {@code io.autoglm.device.liveness.deadline}: a timer delivered back to the heartbeat
 * function as a Pulsar delayed message. When it fires and no heartbeat newer than
 * {@code heartbeatSeq} arrived, the device moves towards {@code stage}.
 */
public record LivenessDeadline(String deviceId, String tenant, long heartbeatSeq, LivenessStatus stage, Instant dueAt) {
    public LivenessDeadline {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(dueAt, "dueAt");
    }
}
