package io.autoglm.fleet.events.testing;

import io.autoglm.fleet.events.testing.PulsarEndpoints.Origin;
import io.autoglm.fleet.pulsar.local.PulsarStandalone;
import org.apache.pulsar.PulsarVersion;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.pulsar.PulsarContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The Testcontainers broker, kept in its own class so that modules without Testcontainers on their
 * test classpath never load a Testcontainers type.
 */
final class ContainerBroker {

    private ContainerBroker() {
    }

    static boolean dockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    /** Starts a container with the client's Pulsar version; Testcontainers removes it when this JVM exits. */
    @SuppressWarnings("resource")
    static PulsarEndpoints start() {
        PulsarContainer container = new PulsarContainer(
                DockerImageName.parse("apachepulsar/pulsar").withTag(PulsarVersion.getVersion()))
                .withTransactions();
        PulsarStandalone.SETTINGS.forEach((key, value) -> container.withEnv("PULSAR_PREFIX_" + key, value));
        container.start();
        return new PulsarEndpoints(container.getPulsarBrokerUrl(), container.getHttpServiceUrl(), Origin.TESTCONTAINERS);
    }
}
