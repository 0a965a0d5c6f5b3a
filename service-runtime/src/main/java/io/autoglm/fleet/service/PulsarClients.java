package io.autoglm.fleet.service;

import org.apache.pulsar.client.api.ClientBuilder;
import org.apache.pulsar.client.api.PulsarClient;

import java.util.concurrent.TimeUnit;

/** How every service builds its Pulsar client from {@link PulsarSettings}; each adds what it needs on top. */
public final class PulsarClients {

    private PulsarClients() {
    }

    /**
     * The broker and the operation timeout, and no per-consumer/producer stats recorder: each one, when created, writes
     * the whole client and consumer configuration as JSON on the client's I/O thread (a cold JVM took 0.25-0.35 s
     * apiece, four per tenant in the heartbeat function), stalling all of the client's traffic meanwhile. Builds
     * without reaching the broker.
     */
    public static ClientBuilder builder(PulsarSettings settings) {
        return PulsarClient.builder()
                .serviceUrl(settings.serviceUrl())
                .operationTimeout((int) settings.operationTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .statsInterval(0, TimeUnit.SECONDS);
    }
}
