package io.autoglm.fleet.triggers.runtime;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * Where the bridge finds Pulsar and how long it waits for it; {@code autoglm.pulsar.*}, the same
 * keys the functions read, so one setting wires the whole stack.
 */
@ConfigMapping(prefix = "autoglm.pulsar")
public interface PulsarConnection {

    /** Binary protocol URL of the broker or cluster. */
    @WithDefault("pulsar://127.0.0.1:6650")
    String serviceUrl();

    /** Pulsar {@code tenant/namespace} holding the fleet's topics. */
    @WithDefault("public/default")
    String namespace();

    /** How long a lookup, subscribe or producer creation may take. */
    @WithDefault("10s")
    Duration operationTimeout();

    /**
     * How long a write may wait for Pulsar's acknowledgement: past it the sink answers 503 and the
     * dispatcher hands the event back to Pulsar for redelivery.
     */
    @WithDefault("5s")
    Duration publishTimeout();

    /**
     * Whether several events of one request are written in one Pulsar transaction (all or none
     * visible). Needs the broker's transaction coordinator; without it a batch is written event by event.
     */
    @WithDefault("true")
    boolean transactions();

    /** Memory the Pulsar client may use for messages waiting to be sent, in MiB (Pulsar's default is 64). */
    @WithDefault("32")
    int memoryLimitMib();
}
