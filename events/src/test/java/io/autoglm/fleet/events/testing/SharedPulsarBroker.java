package io.autoglm.fleet.events.testing;

import io.autoglm.fleet.events.testing.PulsarEndpoints.Origin;

/**
 * The one real Pulsar broker that the integration tests of a build share. It picks, in this order:
 * <ol>
 * <li>the broker named by {@code PULSAR_SERVICE_URL} and {@code PULSAR_ADMIN_URL} (or the system
 * properties {@code pulsar.service.url} and {@code pulsar.admin.url}), never stopped by the tests;</li>
 * <li>a Testcontainers Pulsar container, when Testcontainers is on the test classpath and Docker works;</li>
 * <li>the official distribution as a standalone broker on loopback, started once per Maven build
 * ({@link StandaloneBroker}).</li>
 * </ol>
 * The choice is made once per JVM and logged in one line.
 */
public final class SharedPulsarBroker {

    private static final System.Logger LOG = System.getLogger(SharedPulsarBroker.class.getName());

    private static PulsarEndpoints endpoints;

    private SharedPulsarBroker() {
    }

    /** The broker's endpoints; starts or finds the broker on the first call, waits until it serves. */
    public static synchronized PulsarEndpoints endpoints() {
        if (endpoints == null) {
            endpoints = choose();
        }
        return endpoints;
    }

    private static PulsarEndpoints choose() {
        String serviceUrl = setting("pulsar.service.url", "PULSAR_SERVICE_URL");
        String adminUrl = setting("pulsar.admin.url", "PULSAR_ADMIN_URL");
        if (serviceUrl != null || adminUrl != null) {
            if (serviceUrl == null || adminUrl == null) {
                throw new IllegalStateException("Only one of PULSAR_SERVICE_URL and PULSAR_ADMIN_URL is set "
                        + "(or -Dpulsar.service.url / -Dpulsar.admin.url): set both to use an existing broker.");
            }
            return chosen(new PulsarEndpoints(serviceUrl, adminUrl, Origin.EXTERNAL), "PULSAR_SERVICE_URL is set");
        }
        if (!testcontainersPresent()) {
            return chosen(StandaloneBroker.forThisBuild(), "no PULSAR_SERVICE_URL, Testcontainers not on the classpath");
        }
        if (ContainerBroker.dockerAvailable()) {
            return chosen(ContainerBroker.start(), "no PULSAR_SERVICE_URL, Docker is available");
        }
        return chosen(StandaloneBroker.forThisBuild(), "no PULSAR_SERVICE_URL, Docker is not available");
    }

    private static PulsarEndpoints chosen(PulsarEndpoints chosen, String why) {
        LOG.log(System.Logger.Level.INFO, "Pulsar for integration tests: {0} broker {1} (admin {2}) because {3}",
                chosen.origin(), chosen.serviceUrl(), chosen.adminUrl(), why);
        return chosen;
    }

    private static String setting(String property, String variable) {
        String value = System.getProperty(property, System.getenv(variable));
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static boolean testcontainersPresent() {
        try {
            Class.forName("org.testcontainers.DockerClientFactory", false, SharedPulsarBroker.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
