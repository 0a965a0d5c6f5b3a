package io.autoglm.fleet.routing;

import io.autoglm.fleet.events.device.DeviceLoad;
import io.autoglm.fleet.events.device.LivenessStatus;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A device as the router sees it now: its profile (from the registry), status (from the liveness table),
 * the last load it reported, and the commands this router sent it since that report (in-flight). The
 * in-flight count is what keeps a burst from piling onto the device whose last report looked best.
 */
final class DeviceEntry {

    /** Utilisation assumed for a device that has not reported load yet: neither idle nor busy. */
    static final double UNKNOWN_UTILISATION = 0.5;

    final String deviceId;
    volatile DeviceProfile profile;
    volatile LivenessStatus status;
    volatile double utilisation = UNKNOWN_UTILISATION;
    volatile int queueDepth;
    volatile double reportedRttMs = Double.NaN;
    final AtomicInteger inFlight = new AtomicInteger();
    /** Position in the tenant's ONLINE list, -1 when not in it; guarded by the index's write lock. */
    int onlineSlot = -1;

    DeviceEntry(String deviceId) {
        this.deviceId = deviceId;
    }

    boolean routable() {
        return profile != null && status == LivenessStatus.ONLINE;
    }

    /** A fresh load report replaces the estimate; the commands counted in flight are now in its queue depth. */
    void report(DeviceLoad load, Double rttMs) {
        double accelerator = load.gpu() == null ? 0 : load.gpu();
        utilisation = 0.7 * Math.max(load.cpu(), accelerator) + 0.3 * load.memory();
        queueDepth = load.queueDepth();
        if (rttMs != null) {
            reportedRttMs = rttMs;
        }
        inFlight.set(0);
    }

    /**
     * Load in [0, 1]: utilisation, pushed towards 1 by the queue (reported depth plus in flight):
     * {@code u + (1 - u) * q / (q + 2)}, so two queued commands take a device half way to full.
     */
    double load() {
        double u = utilisation;
        int queued = queueDepth + inFlight.get();
        return u + (1 - u) * queued / (queued + 2.0);
    }

    /** Round-trip time: the device's latest measurement, else what it declared. */
    double rttMs() {
        double reported = reportedRttMs;
        return Double.isNaN(reported) ? profile.declaredRttMs : reported;
    }
}
