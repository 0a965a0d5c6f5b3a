package io.autoglm.fleet.liveness;

import java.time.Duration;
import java.util.Objects;

/**
 * When a device counts as late (SUSPECT) or gone (OFFLINE), adapted to how its heartbeats really arrive.
 *
 * <p>The arrival gaps of each device are tracked as an exponentially weighted mean and variance; the
 * phi-accrual detector's threshold {@code phi} (suspicion = -log10 of the chance that a heartbeat is
 * still on its way) becomes a gap {@code mean + z * sd} with {@code z} the normal quantile of
 * {@code 1 - 10^-phi} (phi 8 -> z 5.6). From it:
 * <ul>
 * <li>SUSPECT after {@code clamp(mean + z sd, (interval + timeout) / 2, offlineAfter)}: one lost heartbeat
 * never raises suspicion, a steady device is suspected early, a jittery one later;</li>
 * <li>OFFLINE after {@code clamp(mean + z sd, timeout, timeout * maxStretch)}: never before the tenant's
 * timeout, later only for a device whose own gaps make a longer silence plausible, and never unboundedly.</li>
 * </ul>
 * Back to ONLINE takes {@code recoveryHeartbeats} consecutive heartbeats, each within the SUSPECT gap of
 * the one before (hysteresis), so a link that comes and goes does not flap.
 *
 * @param interval           how often devices are told to send a heartbeat
 * @param timeout            the silence after which a device with ordinary jitter is OFFLINE
 * @param phiThreshold       suspicion level that counts as "late", as in phi-accrual failure detectors
 * @param minStdDev          floor of the gap deviation, so a metronome-steady device is not suspected at once
 * @param maxStretch         how far a jittery device's timeout may grow, as a multiple of {@code timeout}
 * @param recoveryHeartbeats consecutive timely heartbeats that bring a SUSPECT or OFFLINE device back
 */
public record LivenessPolicy(Duration interval, Duration timeout, double phiThreshold, Duration minStdDev, double maxStretch,
                             int recoveryHeartbeats) {

    /**
     * Weight of the newest gap in the running mean and variance: about the last minute of gaps counts, so
     * a run of short gaps on a bursty link does not make the device look steady.
     */
    static final double SMOOTHING = 1.0 / 32;

    /** The design's defaults: heartbeat every 1 s, OFFLINE after 3 s, phi 8. */
    public static final LivenessPolicy DEFAULT = new LivenessPolicy(Duration.ofSeconds(1), Duration.ofSeconds(3), 8.0,
            Duration.ofMillis(100), 3.0, 2);

    public LivenessPolicy {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(minStdDev, "minStdDev");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the heartbeat interval must be positive, got " + interval);
        }
        if (timeout.compareTo(interval) <= 0) {
            throw new IllegalArgumentException("the liveness timeout (" + timeout + ") must be longer than the heartbeat interval (" + interval + ")");
        }
        if (!(phiThreshold >= 1 && phiThreshold <= 16)) {
            throw new IllegalArgumentException("phi must be in [1, 16], got " + phiThreshold);
        }
        if (maxStretch < 1) {
            throw new IllegalArgumentException("the timeout stretch must be >= 1, got " + maxStretch);
        }
        if (recoveryHeartbeats < 1) {
            throw new IllegalArgumentException("recovery needs at least one heartbeat, got " + recoveryHeartbeats);
        }
    }

    /** The gap quantile of {@link #phiThreshold}. */
    double z() {
        return NormalQuantile.upperTail(Math.pow(10, -phiThreshold));
    }

    /** Everything the evaluator needs per evaluation, in milliseconds, computed once per policy. */
    Thresholds thresholds() {
        double intervalMs = interval.toMillis();
        return new Thresholds(intervalMs, (intervalMs + timeout.toMillis()) / 2.0, timeout.toMillis(), timeout.toMillis() * maxStretch,
                minStdDev.toMillis(), z(), recoveryHeartbeats);
    }

    /** The policy in milliseconds. A new device starts at a gap of one interval with a deviation of a quarter of it. */
    record Thresholds(double intervalMs, double suspectFloorMs, double timeoutMs, double maxTimeoutMs, double minStdDevMs, double z,
                      int recoveryHeartbeats) {

        double initialVariance() {
            return (intervalMs / 4) * (intervalMs / 4);
        }

        /** The adaptive gap {@code mean + z sd}. */
        double adaptiveGap(double mean, double variance) {
            return mean + z * Math.max(Math.sqrt(variance), minStdDevMs);
        }

        long offlineAfter(double mean, double variance) {
            return (long) Math.min(Math.max(adaptiveGap(mean, variance), timeoutMs), maxTimeoutMs);
        }

        long suspectAfter(double mean, double variance) {
            return (long) Math.min(Math.max(adaptiveGap(mean, variance), suspectFloorMs), offlineAfter(mean, variance));
        }
    }
}
