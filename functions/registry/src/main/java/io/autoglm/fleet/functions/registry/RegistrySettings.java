package io.autoglm.fleet.functions.registry;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The registry function's settings; {@code autoglm.registry.*}. */
@ConfigMapping(prefix = "autoglm.registry")
public interface RegistrySettings {

    /** The built-in key, fit for development only; {@link RegistryWiring} warns when it is used. */
    String DEVELOPMENT_KEY = "autoglm-development-fingerprint-key";

    /**
     * Secret key of the keyed hash that turns fingerprints into device ids (at least 16 bytes). Every replica
     * must use the same key, and it must never change: another key gives every device another id.
     */
    @WithDefault(DEVELOPMENT_KEY)
    String fingerprintKey();

    /** The oldest agent version that may register; older agents are told to upgrade. */
    @WithDefault("1.0.0")
    String minimumAgentVersion();
}
