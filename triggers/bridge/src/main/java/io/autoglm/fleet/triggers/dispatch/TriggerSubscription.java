package io.autoglm.fleet.triggers.dispatch;

import io.autoglm.fleet.events.pulsar.PulsarMessageFactory;
import io.autoglm.fleet.events.pulsar.PulsarProperties;
import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.events.validation.EventValidator;
import io.autoglm.fleet.events.validation.Validation;
import io.autoglm.fleet.triggers.ingress.EventIngress;
import io.autoglm.fleet.triggers.knative.EventAttributes;
import io.autoglm.fleet.triggers.knative.Trigger;
import io.cloudevents.CloudEvent;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.KeySharedPolicy;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.RegexSubscriptionMode;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.SubscriptionInitialPosition;
import org.apache.pulsar.client.api.SubscriptionType;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * One Trigger at work: a Key_Shared pattern subscription on the Trigger's topics of every tenant,
 * and for each event the Trigger's filter, delivery to the subscriber in binary mode, retries with
 * the Trigger's backoff, the reply written back through {@link EventIngress}, or the dead letter.
 *
 * <p>Nothing accepted is lost: a message is acknowledged only once the subscriber answered 2xx and
 * its reply (if any) is in Pulsar, or once its dead letter is in Pulsar; when our own write fails the
 * message is handed back to Pulsar for redelivery. A device's events (the message key) are handled
 * one after the other, retries included, so they reach the subscriber in order; different devices
 * go concurrently, at most {@link SubscriptionSettings#concurrency()} requests at once.
 */
public final class TriggerSubscription implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TriggerSubscription.class.getName());
    private static final Duration POLL = Duration.ofMillis(200);

    private final Trigger trigger;
    private final URI subscriber;
    private final Consumer<byte[]> consumer;
    private final SubscriberClient http;
    private final EventIngress ingress;
    private final EventValidator validator;
    private final Duration attemptTimeout;
    private final int maxPending;
    private final Semaphore pending;
    private final KeyedSequencer sequencer = new KeyedSequencer();
    private final DispatchStats stats = new DispatchStats();
    private final Thread receiver;
    private volatile boolean running = true;

    private TriggerSubscription(Trigger trigger, URI subscriber, Consumer<byte[]> consumer, SubscriberClient http,
            EventIngress ingress, SubscriptionSettings settings) {
        this.trigger = trigger;
        this.subscriber = subscriber;
        this.consumer = consumer;
        this.http = http;
        this.ingress = ingress;
        this.validator = EventValidator.standard();
        this.attemptTimeout = trigger.delivery().timeout().orElse(settings.attemptTimeout());
        this.maxPending = settings.maxPending();
        this.pending = new Semaphore(maxPending);
        this.receiver = new Thread(this::receive, "trigger-" + trigger.name());
        this.receiver.setDaemon(true);
    }

    /**
     * Subscribes and starts delivering.
     *
     * @param subscriber where the Trigger's subscriber answers
     * @param http       the client for that subscriber; closed with the subscription
     */
    public static CompletableFuture<TriggerSubscription> start(PulsarClient client, Topics topics, Trigger trigger, URI subscriber,
            SubscriberClient http, EventIngress ingress, SubscriptionSettings settings) {
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(subscriber, "subscriber");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(ingress, "ingress");
        return client.newConsumer(Schema.BYTES)
                .topicsPattern(topics.allTenants(trigger.families()))
                .subscriptionTopicsMode(RegexSubscriptionMode.PersistentOnly)
                .patternAutoDiscoveryPeriod((int) Math.max(1, settings.topicDiscovery().toSeconds()), TimeUnit.SECONDS)
                .subscriptionName(trigger.subscriptionName())
                .subscriptionType(SubscriptionType.Key_Shared)
                .keySharedPolicy(KeySharedPolicy.autoSplitHashRange())
                // a tenant's topic found after its first events were written must still deliver them
                .subscriptionInitialPosition(SubscriptionInitialPosition.Earliest)
                .receiverQueueSize(Math.min(1000, settings.maxPending()))
                .negativeAckRedeliveryDelay(settings.redeliveryDelay().toMillis(), TimeUnit.MILLISECONDS)
                .subscribeAsync()
                .thenApply(consumer -> {
                    TriggerSubscription subscription = new TriggerSubscription(trigger, subscriber, consumer, http, ingress, settings);
                    subscription.receiver.start();
                    LOG.log(System.Logger.Level.INFO, "Trigger {0}: delivering {1} to {2}, subscription {3}, {4}",
                            trigger.id(), trigger.families(), subscriber, trigger.subscriptionName(), trigger.delivery());
                    return subscription;
                });
    }

    public Trigger trigger() {
        return trigger;
    }

    public URI subscriber() {
        return subscriber;
    }

    public DispatchStats.Snapshot stats() {
        return stats.snapshot();
    }

    /** Whether events are being taken from Pulsar. */
    public boolean running() {
        return running && receiver.isAlive() && consumer.isConnected();
    }

    private void receive() {
        while (running) {
            Message<byte[]> message;
            try {
                if (!pending.tryAcquire(POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                    continue;
                }
                message = consumer.receive((int) POLL.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (PulsarClientException e) {
                pending.release();
                if (running) {
                    LOG.log(System.Logger.Level.ERROR, "Trigger " + trigger.id() + " stopped receiving", e);
                    running = false;
                }
                return;
            }
            if (message == null) {
                pending.release();
                continue;
            }
            stats.received.increment();
            sequencer.submit(message.hasKey() ? message.getKey() : null, () -> handle(message)).whenComplete((done, failure) -> {
                pending.release();
                if (failure != null) {
                    LOG.log(System.Logger.Level.WARNING, "Trigger {0}: event {1} goes back to Pulsar for redelivery: {2}",
                            trigger.id(), message.getMessageId(), rootMessage(failure));
                    stats.redelivered.increment();
                    consumer.negativeAcknowledge(message);
                }
            });
        }
    }

    private CompletableFuture<Void> handle(Message<byte[]> message) {
        Map<String, String> properties = message.getProperties();
        if (properties.containsKey(PulsarProperties.SPEC_VERSION)) {
            EventAttributes attributes = name -> properties.get(PulsarProperties.propertyOf(name));
            if (!trigger.filter().test(attributes)) {
                return skip(message);
            }
            return attempt(message, attributes, BinaryHttpForm.of(properties, message.getValue()), 1);
        }
        CloudEvent event;
        try {
            event = PulsarMessageFactory.createReader(message).toEvent();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Trigger {0}: message {1} on {2} is not a CloudEvent: {3}",
                    trigger.id(), message.getMessageId(), message.getTopicName(), e.getMessage());
            return ingress.deadLetterUnreadable(properties, message.getKey(), message.getValue(),
                            "not a CloudEvent (" + e.getMessage() + "), read by Trigger " + trigger.id() + " on " + message.getTopicName())
                    .thenCompose(written -> acknowledge(message, stats.deadLettered));
        }
        EventAttributes attributes = EventAttributes.of(event);
        if (!trigger.filter().test(attributes)) {
            return skip(message);
        }
        return attempt(message, attributes, BinaryHttpForm.of(event), 1);
    }

    private CompletableFuture<Void> skip(Message<byte[]> message) {
        return acknowledge(message, stats.filteredOut);
    }

    private CompletableFuture<Void> attempt(Message<byte[]> message, EventAttributes attributes, OutboundEvent request, int attempt) {
        CompletableFuture<SubscriberResponse> answer;
        try {
            answer = http.post(subscriber, request, attemptTimeout);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.handle((response, failure) -> AttemptOutcome.of(response, failure, attemptTimeout)).thenCompose(outcome -> {
            if (outcome instanceof AttemptOutcome.Delivered delivered) {
                return delivered(message, attributes, delivered.response(), attempt);
            }
            AttemptOutcome.Failed failed = (AttemptOutcome.Failed) outcome;
            Optional<Duration> wait = failed.retryable() ? trigger.delivery().delayAfter(attempt) : Optional.empty();
            if (wait.isEmpty()) {
                String reason = failed.retryable() ? failed.reason() + " (attempt " + attempt + " of " + trigger.delivery().maxAttempts() + ")"
                        : failed.reason() + " (not retried)";
                return deadLetter(message, failed.status(), reason, attempt);
            }
            stats.retries.increment();
            Executor later = CompletableFuture.delayedExecutor(wait.get().toNanos(), TimeUnit.NANOSECONDS);
            return CompletableFuture.runAsync(() -> { }, later).thenCompose(waited -> attempt(message, attributes, request, attempt + 1));
        });
    }

    private CompletableFuture<Void> delivered(Message<byte[]> message, EventAttributes attributes, SubscriberResponse response,
            int attempt) {
        Optional<Validation> reply = ReplyEvents.read(response, validator);
        if (reply.isEmpty()) {
            return acknowledge(message, stats.delivered);
        }
        if (!reply.get().isValid()) {
            return deadLetter(message, OptionalInt.of(response.status()), "the subscriber answered HTTP " + response.status()
                    + " with an invalid reply event: " + reply.get().summary(), attempt);
        }
        CloudEvent replyEvent = ReplyEvents.inherit(reply.get().event(), attributes);
        return ingress.publish(replyEvent, ReplyEvents.tenantOf(attributes)).thenCompose(written -> {
            stats.replies.increment();
            return acknowledge(message, stats.delivered);
        });
    }

    private CompletableFuture<Void> deadLetter(Message<byte[]> message, OptionalInt status, String reason, int attempts) {
        CloudEvent original;
        try {
            original = PulsarMessageFactory.createReader(message).toEvent();
        } catch (RuntimeException e) {
            return ingress.deadLetterUnreadable(message.getProperties(), message.getKey(), message.getValue(),
                            reason + "; and the message is not a readable CloudEvent: " + e.getMessage())
                    .thenCompose(written -> acknowledge(message, stats.deadLettered));
        }
        CloudEvent letter = DeadLetters.of(original, subscriber, status, reason, attempts);
        LOG.log(System.Logger.Level.INFO, "Trigger {0}: event {1} ({2}) to the dead letters after {3} attempt(s): {4}",
                trigger.id(), original.getId(), original.getType(), attempts, reason);
        return ingress.deadLetter(letter).thenCompose(written -> acknowledge(message, stats.deadLettered));
    }

    private CompletableFuture<Void> acknowledge(Message<byte[]> message, LongAdder outcome) {
        return consumer.acknowledgeAsync(message.getMessageId()).thenRun(outcome::increment);
    }

    /**
     * Stops taking events, lets those in hand finish for up to {@code grace}, then closes the
     * consumer; events not finished by then are redelivered by Pulsar (to another replica or the next start).
     */
    public void close(Duration grace) {
        running = false;
        try {
            receiver.join(grace.toMillis() + POLL.toMillis());
            if (pending.tryAcquire(maxPending, grace.toMillis(), TimeUnit.MILLISECONDS)) {
                pending.release(maxPending);
            } else {
                LOG.log(System.Logger.Level.WARNING, "Trigger {0}: {1} event(s) still in hand after {2}; Pulsar will redeliver them",
                        trigger.id(), maxPending - pending.availablePermits(), grace);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.closeAsync().exceptionally(e -> null).join();
        http.close();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    private static String rootMessage(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return String.valueOf(cause);
    }
}
