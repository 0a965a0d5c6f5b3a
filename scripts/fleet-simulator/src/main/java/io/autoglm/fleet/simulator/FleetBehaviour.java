package io.autoglm.fleet.simulator;

import java.time.Duration;

/**
 * How the simulated fleet behaves.
 *
 * @param heartbeatInterval  how often a device beats (the heartbeat function expects 1 s by default)
 * @param dropOutChance      chance, per heartbeat, that a device goes silent (a tunnel, a reboot)
 * @param silenceMin         shortest silence of a device that dropped out
 * @param silenceMax         longest silence
 * @param commandsPerSecond  commands per tenant per second
 * @param batchShare         share of commands sent as an all-or-nothing batch of three
 * @param burstEvery         time between two inference bursts of a tenant
 * @param burstSize          inference requests per burst (sent as one CloudEvents batch)
 * @param registrationRetry  wait for the registry's answer before registering again
 */
record FleetBehaviour(Duration heartbeatInterval, double dropOutChance, Duration silenceMin, Duration silenceMax,
        double commandsPerSecond, double batchShare, Duration burstEvery, int burstSize, Duration registrationRetry) {

    /** This behaviour with {@code perTenant} commands per tenant per second. */
    FleetBehaviour withCommandsPerSecond(double perTenant) {
        return new FleetBehaviour(heartbeatInterval, dropOutChance, silenceMin, silenceMax, perTenant, batchShare, burstEvery, burstSize,
                registrationRetry);
    }

    static final FleetBehaviour DEFAULT = new FleetBehaviour(Duration.ofSeconds(1), 0.002, Duration.ofSeconds(8),
            Duration.ofSeconds(25), 2.0, 0.1, Duration.ofSeconds(15), 20, Duration.ofSeconds(10));
}
