package io.autoglm.fleet.triggers.runtime;

import io.autoglm.fleet.events.pulsar.PulsarEventPublisher;
import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.triggers.ingress.EventIngress;
import io.autoglm.fleet.triggers.ingress.TransactionalWrites;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Disposes;
import io.autoglm.fleet.service.PulsarClients;
import io.autoglm.fleet.service.PulsarSettings;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.apache.pulsar.client.api.ClientBuilder;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.SizeUnit;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The Pulsar client, the publisher and the ingress path (single events with a send timeout; batches
 * in a transaction) that the sink and the dispatcher inject.
 */
@Singleton
public class BridgeWiring {

    private static final Duration TRANSACTIONS_RETRY = Duration.ofSeconds(5);

    private TransactionalWrites transactions;

    /** Builds without reaching the broker: the application starts, and answers 503, while Pulsar is down. */
    @Produces
    @Singleton
    PulsarClient client(PulsarSettings connection) throws PulsarClientException {
        return clientBuilder(connection).build();
    }

    private static ClientBuilder clientBuilder(PulsarSettings connection) {
        return PulsarClients.builder(connection).memoryLimit(connection.memoryLimitMib(), SizeUnit.MEGA_BYTES);
    }

    void close(@Disposes PulsarClient client) throws PulsarClientException {
        client.close();
    }

    @Produces
    @Singleton
    PulsarEventPublisher publisher(PulsarClient client, Topics topics, PulsarSettings connection) {
        // never block a caller's (event loop) thread on a full queue: fail the write, answer 503 / redeliver
        return new PulsarEventPublisher(client, topics, builder -> builder
                .sendTimeout((int) connection.publishTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .blockIfQueueFull(false));
    }

    void close(@Disposes PulsarEventPublisher publisher) {
        publisher.close();
    }

    /** Single events through the shared publisher; batches in one transaction when {@code autoglm.pulsar.transactions}. */
    @Produces
    @Singleton
    EventIngress ingress(Topics topics, PulsarEventPublisher publisher, PulsarSettings connection) {
        if (connection.transactions()) {
            transactions = new TransactionalWrites(() -> clientBuilder(connection), topics, TRANSACTIONS_RETRY);
        }
        return new EventIngress(topics, publisher, transactions, connection.publishTimeout());
    }

    @PreDestroy
    void closeTransactions() {
        if (transactions != null) {
            transactions.close();
        }
    }
}
