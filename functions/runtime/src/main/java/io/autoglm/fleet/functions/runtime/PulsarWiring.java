package io.autoglm.fleet.functions.runtime;

import io.autoglm.fleet.events.EventPublisher;
import io.autoglm.fleet.events.pulsar.PulsarEventPublisher;
import io.autoglm.fleet.events.pulsar.Topics;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;

import java.util.concurrent.TimeUnit;

/**
 * The Pulsar client, topic names and event publisher every function injects. The client connects
 * on first use, so a function that never touches Pulsar never opens a connection.
 */
@Singleton
public class PulsarWiring {

    @Produces
    @Singleton
    PulsarClient client(PulsarSettings settings) throws PulsarClientException {
        return PulsarClient.builder()
                .serviceUrl(settings.serviceUrl())
                .operationTimeout((int) settings.operationTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .enableTransaction(true)
                // no per-consumer/producer stats recorder: each one, when created, writes the whole client and consumer
                // configuration as JSON on the client's I/O thread (a cold JVM took 0.25-0.35 s apiece, four per tenant in
                // the heartbeat function), stalling all of the client's traffic while a tenant's tables open
                .statsInterval(0, TimeUnit.SECONDS)
                .build();
    }

    void close(@Disposes PulsarClient client) throws PulsarClientException {
        client.close();
    }

    @Produces
    @Singleton
    Topics topics(PulsarSettings settings) {
        return new Topics(settings.namespace());
    }

    /** Typed to the class only, so that {@link EventPublisher} has one bean (the one below). */
    @Produces
    @Singleton
    @Typed(PulsarEventPublisher.class)
    PulsarEventPublisher publisher(PulsarClient client, Topics topics) {
        return new PulsarEventPublisher(client, topics);
    }

    void close(@Disposes PulsarEventPublisher publisher) {
        publisher.close();
    }

    @Produces
    @Singleton
    EventPublisher eventPublisher(PulsarEventPublisher publisher) {
        return publisher;
    }
}
