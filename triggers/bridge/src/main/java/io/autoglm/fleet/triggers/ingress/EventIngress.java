package io.autoglm.fleet.triggers.ingress;

import io.autoglm.fleet.events.Failures;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.Extensions;
import io.autoglm.fleet.events.pulsar.PulsarEventPublisher;
import io.autoglm.fleet.events.pulsar.Topics;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.apache.pulsar.client.api.TypedMessageBuilder;
import org.apache.pulsar.client.api.transaction.Transaction;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The one way events enter Pulsar from HTTP: events posted to the ingress sink and the reply events
 * of subscribers. It stamps the {@code tenant} extension (from the caller's token, or from the event
 * the reply answers), so nobody writes into another tenant's topics, and writes each event in binary
 * mode to its topic ({@link Topics#forEvent}: per tenant and family, keyed by device id).
 *
 * <p>Several events go in one Pulsar transaction: consumers see all of them or none, so a failure
 * half-way leaves nothing behind. Futures complete once Pulsar has acknowledged the write and fail
 * with {@link IngressUnavailableException} when it did not within the timeout.
 */
public final class EventIngress {

    /** Property that says why an unreadable message was dead-lettered. */
    public static final String UNREADABLE_REASON = "dead-letter-reason";

    private final Topics topics;
    private final PulsarEventPublisher publisher;
    private final TransactionalWrites transactions;
    private final Duration timeout;

    /**
     * @param publisher    producers for single events, with a send timeout
     * @param transactions where batches are written all or nothing; null writes them event by event,
     *                     without that guarantee (the dispatcher, which writes one reply at a time)
     * @param timeout      how long a write (or a whole transaction) may take
     */
    public EventIngress(Topics topics, PulsarEventPublisher publisher, TransactionalWrites transactions, Duration timeout) {
        this.topics = Objects.requireNonNull(topics, "topics");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.transactions = transactions;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** Writes one event on behalf of {@code tenant} (null: keep the event's own tenant). */
    public CompletableFuture<Void> publish(CloudEvent event, String tenant) {
        CloudEvent stamped = withTenant(event, tenant);
        return guard(publisher.publish(topics.forEvent(stamped), stamped), "write event " + event.getId());
    }

    /** Writes events on behalf of {@code tenant}: all of them or, on failure, none. */
    public CompletableFuture<Void> publishAll(List<CloudEvent> events, String tenant) {
        if (events.size() == 1) {
            return publish(events.get(0), tenant);
        }
        return writeAll(events, tenant, topics::forEvent);
    }

    /**
     * Writes events that failed elsewhere (carrying the {@code knativeerror*} extensions) to the
     * dead-letter topic of {@code tenant}: all of them or none. What the sink's {@code /dead-letters} takes.
     */
    public CompletableFuture<Void> deadLetterAll(List<CloudEvent> events, String tenant) {
        return writeAll(events, tenant, event -> topics.deadLetters(tenant));
    }

    private CompletableFuture<Void> writeAll(List<CloudEvent> events, String tenant, Function<CloudEvent, String> topicOf) {
        if (events.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<CloudEvent> stamped = events.stream().map(event -> withTenant(event, tenant)).toList();
        if (transactions == null || events.size() == 1) {
            return guard(CompletableFuture.allOf(stamped.stream().map(event -> publisher.publish(topicOf.apply(event), event))
                    .toArray(CompletableFuture[]::new)), "write " + events.size() + " event(s)");
        }
        CompletableFuture<Transaction> opening = transactions.begin(timeout.multipliedBy(2));
        CompletableFuture<Void> written = opening.thenCombine(transactions.publisher(), (transaction, transactional) ->
                        CompletableFuture.allOf(stamped.stream()
                                        .map(event -> transactional.publish(transaction, topicOf.apply(event), event))
                                        .toArray(CompletableFuture[]::new))
                                .thenCompose(sent -> transaction.commit()))
                .thenCompose(committed -> committed);
        return guard(written, "write " + events.size() + " events in one transaction").whenComplete((done, failure) -> {
            if (failure != null) {
                // an aborted (or never committed, so timed-out) transaction is invisible to consumers
                opening.thenAccept(transaction -> transaction.abort().exceptionally(e -> null));
            }
        });
    }

    /** Writes an event to the dead-letter topic of its tenant. */
    public CompletableFuture<Void> deadLetter(CloudEvent event) {
        String tenant = Events.tenant(event);
        return guard(publisher.publish(topics.deadLetters(tenant == null ? Topics.SYSTEM_TENANT : tenant), event),
                "dead-letter event " + event.getId());
    }

    /** Writes a replayed dead letter back to {@code topic}, the topic it was read from (checked by the caller to be its tenant's). */
    public CompletableFuture<Void> replay(CloudEvent event, String topic) {
        return guard(publisher.publish(topic, event), "replay event " + event.getId() + " to " + topic);
    }

    /**
     * Copies a message that is not a readable CloudEvent to the system tenant's dead-letter topic,
     * properties, key and value as they were, plus {@value #UNREADABLE_REASON} saying why.
     */
    public CompletableFuture<Void> deadLetterUnreadable(Map<String, String> properties, String key, byte[] value, String reason) {
        return guard(publisher.producer(topics.deadLetters(Topics.SYSTEM_TENANT)).thenCompose(producer -> {
            TypedMessageBuilder<byte[]> message = producer.newMessage().properties(properties)
                    .property(UNREADABLE_REASON, reason).value(value == null ? new byte[0] : value);
            if (key != null) {
                message.key(key);
            }
            return message.sendAsync();
        }), "dead-letter an unreadable message");
    }

    /** The event with its {@code tenant} extension set to {@code tenant}; unchanged when tenant is null. */
    public static CloudEvent withTenant(CloudEvent event, String tenant) {
        if (tenant == null || tenant.equals(Events.tenant(event))) {
            return event;
        }
        return CloudEventBuilder.v1(event).withExtension(Extensions.TENANT, tenant).build();
    }

    private CompletableFuture<Void> guard(CompletableFuture<?> write, String what) {
        return write.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).handle((done, failure) -> {
            if (failure == null) {
                return null;
            }
            Throwable cause = Failures.unwrap(failure);
            String why = cause instanceof TimeoutException ? "no acknowledgement from Pulsar within " + timeout : cause.toString();
            throw new IngressUnavailableException("Could not " + what + ": " + why, cause);
        });
    }
}
