package io.autoglm.fleet.events.task;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A device held by one agent task: the row of the tenant's compacted reservation table, keyed by device id, written only by
 * the agent function. A device runs one task at a time, so a task is never placed on a device another task holds; the
 * reservation ends with the task (a tombstone), or counts as stale once nothing renewed it for the idle timeout (a task
 * whose function went away for good does not keep its device for ever; STF's 900 s group release is the anchor).
 *
 * @param placementId the placement that reserved it ({@link TaskRefs}): the same placement decided again finds it
 * @param renewedAt   when the task last showed it still runs on the device
 */
public record DeviceReservation(String deviceId, String tenant, String taskId, String placementId, Instant reservedAt, Instant renewedAt) {

    public DeviceReservation {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(reservedAt, "reservedAt");
        renewedAt = renewedAt == null ? reservedAt : renewedAt;
    }

    /** Whether nothing renewed it for {@code idle} up to {@code now}: the device is free again. */
    public boolean staleAt(Instant now, Duration idle) {
        return !renewedAt.plus(idle).isAfter(now);
    }

    /** The same reservation, renewed at {@code now}. */
    public DeviceReservation renewed(Instant now) {
        return new DeviceReservation(deviceId, tenant, taskId, placementId, reservedAt, now);
    }
}
