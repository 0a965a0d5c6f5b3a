package io.autoglm.fleet.events.model;

import java.time.Instant;
import java.util.Objects;

/**
 * Payload of {@code io.autoglm.model.version.promoted}: an alias now points at {@code version}.
 * A rollback is a promotion to an older version; {@code previousVersion} is null for a new alias.
 */
public record ModelVersionPromoted(String model, String alias, int version, Integer previousVersion, String store, Instant promotedAt) {
    public ModelVersionPromoted {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(alias, "alias");
    }
}
