package io.autoglm.fleet.functions.agent;

import io.autoglm.fleet.agent.SessionLimits;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Agent task settings, {@code autoglm.agent.*}: the bounds a task's session runs within, its device reservations, the queries' tokens. */
@ConfigMapping(prefix = "autoglm.agent")
public interface AgentSettings {

    /** How long a step's command may wait to be delivered before the commands function expires it (the device counts as lost). */
    @WithDefault("30s")
    Duration commandTtl();

    /** How long the device may take over a step's command once it accepted it. */
    @WithDefault("60s")
    Duration commandTimeout();

    /** How long a step waits for its command's outcome before the device counts as lost; longer than TTL + timeout. */
    @WithDefault("2m")
    Duration deviceStepTimeout();

    /** How long a step waits for the agent model's reply before it counts as a failed inference. */
    @WithDefault("2m")
    Duration modelTimeout();

    /** How long a placement may go unanswered before the task fails (it is answered in-process: only a crash leaves one). */
    @WithDefault("30s")
    Duration placementTimeout();

    /** How long a sensitive action waits for a person's yes or no before the task fails. */
    @WithDefault("5m")
    Duration confirmationTimeout();

    /** How long a take-over may take before the task fails. */
    @WithDefault("15m")
    Duration takeoverTimeout();

    /** A task's deadline when its request names none, from when it was asked for. */
    @WithDefault("30m")
    Duration timeLimit();

    /** How many lost devices a task survives (each time it is handed to another qualifying device). */
    @WithDefault("3")
    int maxHandOvers();

    /** How many failed inferences in a row (unavailable, over capacity, timed out) a task takes again before it fails. */
    @WithDefault("1")
    int modelRetries();

    /** The agent model of a request that names none (a model-store name, {@code name@version} or {@code name@alias}). */
    @WithDefault("autoglm-phone-9b@stable")
    String defaultModel();

    /**
     * How long a device reservation lasts without its task showing it still runs there (every step renews it): then the
     * device is free for other tasks again. 900 s, as STF releases a device group.
     */
    @WithDefault("900s")
    Duration reservationIdleTimeout();

    /** The JWT claim naming the caller's tenant on the queries (as the ingress sink reads it): a caller sees its tenant's tasks only. */
    @WithDefault("tenant")
    String tenantClaim();

    /** The longest a query's token may be valid for (from its {@code iat}, or from now, to its {@code exp}); a longer-lived one is refused. */
    @WithDefault("PT24H")
    Duration maxTokenLifetime();

    /** These settings as the session core's limits. */
    default SessionLimits limits() {
        return new SessionLimits(commandTtl(), commandTimeout(), deviceStepTimeout(), modelTimeout(), placementTimeout(), confirmationTimeout(),
                takeoverTimeout(), timeLimit(), maxHandOvers(), modelRetries(), defaultModel());
    }
}
