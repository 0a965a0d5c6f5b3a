package io.autoglm.fleet.functions.commands;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Command lifecycle settings, {@code autoglm.commands.*}. */
@ConfigMapping(prefix = "autoglm.commands")
public interface CommandSettings {

    /**
     * How long a command dispatched without a TTL ({@code ttlMs}) may wait to be delivered and accepted before it is
     * EXPIRED; also the delivery deadline of a command a device reported delivered before its dispatch was seen.
     */
    @WithDefault("5m")
    Duration deliveryTtl();

    /** How long a device may take once it accepted a command dispatched without {@code timeoutMs}, before it is TIMED_OUT. */
    @WithDefault("60s")
    Duration executionTimeout();

    /** The JWT claim naming the caller's tenant on the queries (as the ingress sink reads it): a caller sees its tenant's commands only. */
    @WithDefault("tenant")
    String tenantClaim();

    /** The longest a query's token may be valid for (from its {@code iat}, or from now, to its {@code exp}); a longer-lived one is refused. */
    @WithDefault("PT24H")
    Duration maxTokenLifetime();

    /** How long an ended command stays in the table (and in memory) after it ended; 0 keeps every command. */
    @WithDefault("24h")
    Duration retention();

    /** How often ended commands past their retention are removed. */
    @WithDefault("1m")
    Duration retentionSweep();
}
