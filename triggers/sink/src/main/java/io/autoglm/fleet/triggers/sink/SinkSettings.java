package io.autoglm.fleet.triggers.sink;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The ingress sink's settings; {@code autoglm.sink.*}. The body size limit is Quarkus's {@code quarkus.http.limits.max-body-size}. */
@ConfigMapping(prefix = "autoglm.sink")
public interface SinkSettings {

    /**
     * The JWT claim naming the caller's tenant. The sink writes the caller's events to that tenant's
     * topics and stamps that tenant on them, whatever the events say.
     */
    @WithDefault("tenant")
    String tenantClaim();
}
