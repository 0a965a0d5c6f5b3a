package io.autoglm.fleet.functions.runtime;

import io.autoglm.fleet.events.EventPublisher;
import io.autoglm.fleet.events.pulsar.PulsarEventPublisher;
import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.service.PulsarClients;
import io.autoglm.fleet.service.PulsarSettings;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;

/**
 * The Pulsar client and event publisher every function injects (the topic names come from service-runtime's
 * {@code ServiceWiring}). The client connects
 * on first use, so a function that never touches Pulsar never opens a connection.
 */
@Singleton
public class PulsarWiring {

    @Produces
    @Singleton
    PulsarClient client(PulsarSettings settings) throws PulsarClientException {
        // the heartbeat function's fan-out is one transaction
        return PulsarClients.builder(settings).enableTransaction(true).build();
    }

    void close(@Disposes PulsarClient client) throws PulsarClientException {
        client.close();
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
