package io.autoglm.fleet.triggers.ingress;

import io.autoglm.fleet.events.pulsar.PulsarEventPublisher;
import io.autoglm.fleet.events.pulsar.Topics;
import org.apache.pulsar.client.api.ClientBuilder;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.transaction.Transaction;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Pulsar transactions for the ingress path, with a client of their own built on first use: Pulsar's
 * transaction-enabled client blocks in {@code build()} until the broker's transaction coordinator
 * answers, which must neither stop the sink from starting nor hold a request thread while the broker
 * is down. When building fails, requests fail fast (503) and the next build is tried after {@code retryAfter}.
 */
public final class TransactionalWrites implements AutoCloseable {

    private final Supplier<ClientBuilder> clientBuilder;
    private final Topics topics;
    private final Duration retryAfter;
    private final ExecutorService builder = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "pulsar-transactions");
        thread.setDaemon(true);
        return thread;
    });
    private CompletableFuture<Writer> writer;
    private long failedAt;

    /** A transaction-enabled client and its producers (without a send timeout, as Pulsar requires for transactions). */
    record Writer(PulsarClient client, PulsarEventPublisher publisher) {
    }

    /**
     * @param clientBuilder a builder for a client of the same cluster (service URL, timeouts); transactions are enabled here
     */
    public TransactionalWrites(Supplier<ClientBuilder> clientBuilder, Topics topics, Duration retryAfter) {
        this.clientBuilder = Objects.requireNonNull(clientBuilder, "clientBuilder");
        this.topics = Objects.requireNonNull(topics, "topics");
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** Opens a transaction that aborts itself unless committed within {@code timeout}. */
    CompletableFuture<Transaction> begin(Duration timeout) {
        return writer().thenCompose(ready -> ready.client().newTransaction()
                .withTransactionTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .build());
    }

    /** The producers for transactional sends. */
    CompletableFuture<PulsarEventPublisher> publisher() {
        return writer().thenApply(Writer::publisher);
    }

    private synchronized CompletableFuture<Writer> writer() {
        boolean failed = writer != null && writer.isCompletedExceptionally();
        if (writer == null || (failed && System.nanoTime() - failedAt > retryAfter.toNanos())) {
            writer = CompletableFuture.supplyAsync(() -> {
                try {
                    PulsarClient client = clientBuilder.get().enableTransaction(true).build();
                    return new Writer(client, new PulsarEventPublisher(client, topics,
                            producer -> producer.sendTimeout(0, TimeUnit.SECONDS).blockIfQueueFull(false)));
                } catch (PulsarClientException e) {
                    throw new IllegalStateException("Pulsar's transaction coordinator is not reachable: " + e.getMessage(), e);
                }
            }, builder);
            writer.whenComplete((ready, failure) -> {
                if (failure != null) {
                    synchronized (this) {
                        failedAt = System.nanoTime();
                    }
                }
            });
        }
        return writer;
    }

    @Override
    public synchronized void close() {
        builder.shutdownNow();
        if (writer != null && writer.isDone() && !writer.isCompletedExceptionally()) {
            Writer ready = writer.join();
            ready.publisher().close();
            ready.client().closeAsync();
        }
    }
}
