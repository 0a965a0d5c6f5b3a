package io.autoglm.fleet.functions.heartbeat;

import io.autoglm.fleet.liveness.LivenessPolicy;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Liveness settings; {@code autoglm.heartbeat.*}, with per-tenant overrides of the interval and timeout
 * under {@code autoglm.heartbeat.tenants."<tenant>".*}. See {@link LivenessPolicy} for what each does.
 */
@ConfigMapping(prefix = "autoglm.heartbeat")
public interface HeartbeatSettings {

    /** How often devices send a heartbeat. */
    @WithDefault("1s")
    Duration interval();

    /** Silence after which a device with ordinary jitter is OFFLINE. */
    @WithDefault("3s")
    Duration timeout();

    /** Phi-accrual suspicion level that counts as late (8: one chance in 10^8 that the heartbeat is still coming). */
    @WithDefault("8")
    double phiThreshold();

    /** Floor of a device's gap deviation, so a perfectly steady device is not suspected at its first late beat. */
    @WithDefault("100ms")
    Duration minStdDev();

    /** How far a jittery device's timeout may stretch, as a multiple of the timeout. */
    @WithDefault("3")
    double maxStretch();

    /** Consecutive timely heartbeats that bring a SUSPECT or OFFLINE device back ONLINE. */
    @WithDefault("2")
    int recoveryHeartbeats();

    /**
     * How often the function looks for tenants whose registry appeared, to open their tables before their first
     * heartbeat (one topic-list lookup each time); 0 opens a tenant's tables on its first heartbeat only.
     */
    @WithDefault("1s")
    Duration tenantDiscovery();

    /** Overrides per tenant. */
    Map<String, TenantLiveness> tenants();

    /** A tenant's own interval and timeout. */
    interface TenantLiveness {
        Optional<Duration> interval();

        Optional<Duration> timeout();
    }

    /** The policy of {@code tenant}: the defaults with its overrides. */
    default LivenessPolicy policyOf(String tenant) {
        TenantLiveness own = tenants().get(tenant);
        return new LivenessPolicy(own == null ? interval() : own.interval().orElse(interval()),
                own == null ? timeout() : own.timeout().orElse(timeout()), phiThreshold(), minStdDev(), maxStretch(), recoveryHeartbeats());
    }
}
