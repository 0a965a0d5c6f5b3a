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
