package io.autoglm.fleet.events.testing;

import static java.util.Objects.requireNonNull;

import org.apache.pulsar.client.api.ClientBuilder;
import org.apache.pulsar.client.api.PulsarClient;

/**
 * Where the real Pulsar broker of the integration tests answers, and which kind of broker it is.
 * Tests get it from {@link RealPulsarExtension} or {@link SharedPulsarBroker#endpoints()} and never
 * hard-code a URL, so the same test runs against a CI cluster, a container or the local distribution.
 *
 * @param serviceUrl binary protocol URL, {@code pulsar://host:port}
 * @param adminUrl   HTTP admin/REST URL, {@code http://host:port}
 * @param origin     which broker was chosen
 */
public record PulsarEndpoints(String serviceUrl, String adminUrl, Origin origin) {

    public PulsarEndpoints {
        requireNonNull(serviceUrl, "serviceUrl");
        requireNonNull(adminUrl, "adminUrl");
        requireNonNull(origin, "origin");
    }

    /** A client builder for this broker; the caller closes what it builds. */
    public ClientBuilder clientBuilder() {
        return PulsarClient.builder().serviceUrl(serviceUrl);
    }

    /** Which broker the tests use, in the order {@link SharedPulsarBroker} tries them. */
    public enum Origin {
        /** Named by {@code PULSAR_SERVICE_URL}/{@code PULSAR_ADMIN_URL}; the tests never stop it. */
        EXTERNAL,
        /** A Testcontainers Pulsar container, one per test JVM, removed by Testcontainers. */
        TESTCONTAINERS,
        /** The official distribution's {@code bin/pulsar standalone}, one per Maven build. */
        DISTRIBUTION
    }
}
