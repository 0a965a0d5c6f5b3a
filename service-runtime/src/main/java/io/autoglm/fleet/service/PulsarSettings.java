package io.autoglm.fleet.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * Where every service finds Pulsar and how long it waits for it; {@code autoglm.pulsar.*}, one set of
 * keys for the functions, the sink and the dispatcher, so one setting wires the whole stack.
 */
@ConfigMapping(prefix = "autoglm.pulsar")
public interface PulsarSettings {

    /** Binary protocol URL of the broker or cluster. */
    @WithDefault("pulsar://127.0.0.1:6650")
    String serviceUrl();

    /** Pulsar {@code tenant/namespace} holding the fleet's topics. */
    @WithDefault("public/default")
    String namespace();

    /** How long a produce, lookup, subscribe or producer creation may take before it fails (and the request with it). */
    @WithDefault("10s")
    Duration operationTimeout();

    /**
     * How long a write of the bridge may wait for Pulsar's acknowledgement: past it the sink answers 503 and the
     * dispatcher hands the event back to Pulsar for redelivery.
     */
    @WithDefault("5s")
    Duration publishTimeout();

    /**
     * Whether the bridge writes several events of one request in one Pulsar transaction (all or none visible). Needs
     * the broker's transaction coordinator; without it a batch is written event by event.
     */
    @WithDefault("true")
    boolean transactions();

    /** Memory the bridge's Pulsar client may use for messages waiting to be sent, in MiB (Pulsar's default is 64). */
    @WithDefault("32")
    int memoryLimitMib();
}
