package io.autoglm.fleet.triggers.gateway;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The device gateway's settings; {@code autoglm.gateway.*}. Enrolment tokens are verified with the
 * sink's keys ({@code mp.jwt.verify.*}); Pulsar is every service's {@code autoglm.pulsar.*}.
 */
@ConfigMapping(prefix = "autoglm.gateway")
public interface GatewaySettings {

    /**
     * This replica's name, written in presence rows and {@code command.delivered} so a command finds the
     * replica that holds its device; the pod name ({@code HOSTNAME}) when unset, else a random one.
     */
    Optional<String> replica();

    /**
     * Largest text frame a device may send: a {@code command.completed} with its screenshot inline. A
     * larger frame closes the connection with 1009 (nothing of it is read).
     */
    @WithDefault("8M")
    MemorySize maxFrameSize();

    /**
     * Largest frame without a screenshot (heartbeats, registrations, command status); a larger one is
     * answered with a {@code gateway.error} {@code too-large} and the connection stays open.
     */
    @WithDefault("64K")
    MemorySize maxEventSize();

    /**
     * Most frames written to one device's socket and not yet taken by the network. Past it (or once the
     * socket's own write queue is full) the connection is closed with 4000 "outbound queue full": the
     * commands stay pending and reach the device when it reconnects; other devices are not held up.
     */
    @WithDefault("64")
    int outboundQueue();

    /** How often the gateway pings every device. */
    @WithDefault("15s")
    Duration pingInterval();

    /** A connection that sends nothing (no frame, no pong) for this long is closed as dead (1001). */
    @WithDefault("45s")
    Duration idleTimeout();

    /** How long a forwarded registration waits for the registry's answer before the device is told to try again. */
    @WithDefault("30s")
    Duration registrationTimeout();

    /** How long a write to Pulsar may take before the device is told nothing was written ({@code unavailable}). */
    @WithDefault("5s")
    Duration publishTimeout();

    /** The enrolment tokens (signed by the tenant's issuer, as the sink's callers' are). */
    Enrolment enrolment();

    /** The per-device credentials this gateway signs. */
    Credentials credentials();

    /**
     * The CA certificate (PEM) of each tenant that enrols devices with client certificates, by tenant:
     * {@code autoglm.gateway.tenant-ca.acme=/etc/autoglm/ca/acme.pem}. A device presenting a certificate
     * issued by its tenant's CA, with {@code CN=<device id>} and {@code O=<tenant>}, is that device. Setting
     * any turns on client-certificate requests on the HTTPS port (configure its own key with {@code quarkus.http.ssl.*}).
     */
    Map<String, Path> tenantCa();

    /** Where observations' screenshots go. */
    Screenshots screenshots();

    /** Graceful shutdown. */
    Drain drain();

    /** Enrolment tokens. */
    interface Enrolment {
        /** The claim naming the token's tenant. */
        @WithDefault("tenant")
        String tenantClaim();

        /** The longest an enrolment token may be valid for; a longer-lived one is refused. */
        @WithDefault("PT24H")
        Duration maxTokenLifetime();
    }

    /** Device credentials: HS256 JWTs with {@code tenant} and {@code sub} (the device id). */
    interface Credentials {
        /**
         * The HMAC key every replica signs and verifies credentials with (at least 32 bytes). Unset: a
         * random key for this process alone (a device must then re-enrol after a restart), with a warning.
         */
        Optional<String> secret();

        /** The {@code iss} of the credentials. */
        @WithDefault("https://autoglm.io/fleet/device-gateway")
        String issuer();

        /** How long a credential is good for. */
        @WithDefault("P30D")
        Duration lifetime();
    }

    /** Where observations' screenshots go: the model store's blob store. */
    interface Screenshots {
        /**
         * The blob store's location, as the model store takes it: a directory (or {@code file:} URI), or
         * {@code s3://bucket/prefix?endpoint=...&region=...} (presigned URLs in the events; credentials from the AWS
         * SDK's default chain).
         */
        @WithDefault("${java.io.tmpdir}/autoglm-screenshots")
        String store();

        /** How long a screenshot is kept (rounded up to the hour; at most 7 days). */
        @WithDefault("PT24H")
        Duration ttl();

        /**
         * How often this replica removes expired screenshots ({@code 0s}: never, when a cron job runs
         * {@code model-store blobs sweep} instead, as a cluster of several replicas should).
         */
        @WithDefault("10m")
        Duration sweepInterval();
    }

    /** What a replica tells its devices when it shuts down. */
    interface Drain {
        /** How long a device should wait before reconnecting (to any replica), before its own jitter. */
        @WithDefault("1s")
        Duration reconnectAfter();

        /** How long the replica waits for the draining frames and presence writes before closing the sockets. */
        @WithDefault("2s")
        Duration grace();
    }
}
