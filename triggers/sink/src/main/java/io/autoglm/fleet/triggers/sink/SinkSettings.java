package io.autoglm.fleet.triggers.sink;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The ingress sink's settings; {@code autoglm.sink.*} (the body limit is every service's {@code autoglm.http.max-body-size}). */
@ConfigMapping(prefix = "autoglm.sink")
public interface SinkSettings {

    /**
     * The JWT claim naming the caller's tenant. The sink writes the caller's events to that tenant's
     * topics and stamps that tenant on them, whatever the events say.
     */
    @WithDefault("tenant")
    String tenantClaim();

    /** The longest a token may be valid for (from its {@code iat}, or from now, to its {@code exp}); a longer-lived one is refused. */
    @WithDefault("PT24H")
    Duration maxTokenLifetime();
}
