package io.autoglm.fleet.functions.runtime;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Where a function finds Pulsar; {@code autoglm.pulsar.*}. */
@ConfigMapping(prefix = "autoglm.pulsar")
public interface PulsarSettings {

    /** Binary protocol URL of the broker or cluster. */
    @WithDefault("pulsar://127.0.0.1:6650")
    String serviceUrl();

    /** Pulsar {@code tenant/namespace} holding the fleet's topics. */
    @WithDefault("public/default")
    String namespace();

    /** How long a produce, lookup or subscribe may take before it fails (and the request with it). */
    @WithDefault("10s")
    Duration operationTimeout();
}
