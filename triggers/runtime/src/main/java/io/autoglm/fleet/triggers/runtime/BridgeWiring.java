package io.autoglm.fleet.triggers.runtime;

import io.autoglm.fleet.events.pulsar.PulsarEventPublisher;
import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.triggers.ingress.EventIngress;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.SizeUnit;

import java.util.concurrent.TimeUnit;

/**
 * The Pulsar client, topic naming and the ingress path (single events with a send timeout; batches
 * in a transaction) that the sink and the dispatcher inject.
 */
@Singleton
public class BridgeWiring {

    private PulsarEventPublisher transactional;

    @Produces
    @Singleton
    PulsarClient client(PulsarConnection connection) throws PulsarClientException {
        return PulsarClient.builder()
                .serviceUrl(connection.serviceUrl())
                .operationTimeout((int) connection.operationTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .memoryLimit(connection.memoryLimitMib(), SizeUnit.MEGA_BYTES)
                .enableTransaction(connection.transactions())
                .build();
    }

    void close(@Disposes PulsarClient client) throws PulsarClientException {
        client.close();
    }

    @Produces
    @Singleton
    Topics topics(PulsarConnection connection) {
        return new Topics(connection.namespace());
    }

    @Produces
    @Singleton
    PulsarEventPublisher publisher(PulsarClient client, Topics topics, PulsarConnection connection) {
        // never block a caller's (event loop) thread on a full queue: fail the write, answer 503 / redeliver
        return new PulsarEventPublisher(client, topics, builder -> builder
                .sendTimeout((int) connection.publishTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .blockIfQueueFull(false));
    }

    void close(@Disposes PulsarEventPublisher publisher) {
        publisher.close();
    }

    /**
     * Single events through the shared publisher; batches through producers without a send timeout,
     * as Pulsar requires for transactions (the transaction's own timeout bounds them).
     */
    @Produces
    @Singleton
    EventIngress ingress(PulsarClient client, Topics topics, PulsarEventPublisher publisher, PulsarConnection connection) {
        if (connection.transactions()) {
            transactional = new PulsarEventPublisher(client, topics, builder -> builder.sendTimeout(0, TimeUnit.SECONDS)
                    .blockIfQueueFull(false));
        }
        return new EventIngress(client, topics, publisher, transactional, connection.publishTimeout());
    }

    @PreDestroy
    void closeTransactional() {
        if (transactional != null) {
            transactional.close();
        }
    }
}
