package io.autoglm.fleet.triggers.sink;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The ingress sink's settings; {@code autoglm.sink.*}. */
@ConfigMapping(prefix = "autoglm.sink")
public interface SinkSettings {

    /**
     * The JWT claim naming the caller's tenant. The sink writes the caller's events to that tenant's
     * topics and stamps that tenant on them, whatever the events say.
     */
    @WithDefault("tenant")
    String tenantClaim();

    /**
     * Largest request body: a bigger one is answered 413 with a problem body (before it is read, when
     * it declares its length). Keep {@code quarkus.http.limits.max-body-size} above it as a backstop.
     */
    @WithDefault("1M")
    MemorySize maxBodySize();
}
