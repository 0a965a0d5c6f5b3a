package io.autoglm.fleet.deviceagent.protocol;

import java.time.Instant;
import java.util.Objects;

/**
 * What the agent keeps of its registration: the device id the registry gave it and the credential the
 * gateway issued, so a restarted agent reconnects as the same device without registering again.
 */
public record StoredCredential(String tenant, String deviceId, String token, Instant expiresAt) {

    public StoredCredential {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(token, "token");
    }

    /** Whether the credential is past its expiry at {@code now} (the gateway would refuse it). */
    public boolean expired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
