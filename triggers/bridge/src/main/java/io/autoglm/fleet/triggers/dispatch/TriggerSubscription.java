package io.autoglm.fleet.triggers.dispatch;

import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.Extensions;
import io.autoglm.fleet.events.Failures;
import io.autoglm.fleet.events.pulsar.PulsarMessageFactory;
import io.autoglm.fleet.events.pulsar.PulsarProperties;
import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.events.validation.EventValidator;
import io.autoglm.fleet.events.validation.Validation;
import io.autoglm.fleet.state.KeySequencer;
import io.autoglm.fleet.triggers.ingress.EventIngress;
import io.autoglm.fleet.triggers.knative.EventAttributes;
import io.autoglm.fleet.triggers.knative.Trigger;
import io.cloudevents.CloudEvent;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.ConsumerBuilder;
import org.apache.pulsar.client.api.KeySharedPolicy;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.RegexSubscriptionMode;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.SubscriptionInitialPosition;
import org.apache.pulsar.client.api.SubscriptionType;
import org.apache.pulsar.client.impl.MultiTopicsConsumerImpl;
import org.apache.pulsar.client.impl.PulsarClientImpl;
import org.apache.pulsar.common.api.proto.CommandGetTopicsOfNamespace;
import org.apache.pulsar.common.lookup.GetTopicsResult;
import org.apache.pulsar.common.naming.NamespaceName;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;

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
 *
 * <p>A subscriber that cannot be connected to pauses the Trigger ({@link DeliveryPause}): its events
 * wait in Pulsar instead of spending their attempts, until it answers or the pause outlasts its bound.
 * A replayed dead letter ({@code replayfor}) is delivered by the Trigger that dead-lettered it only.
 * Failed deliveries are logged through a {@link DeliveryFailureLog}: one line each, repeats counted.
 */
public final class TriggerSubscription implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TriggerSubscription.class.getName());
    private static final Duration POLL = Duration.ofMillis(200);
    private static final String REPLAY_FOR = PulsarProperties.propertyOf(Extensions.REPLAY_FOR);

    private final Trigger trigger;
    private final URI subscriber;
    private final ConsumerBuilder<byte[]> subscription;
    private final PulsarClient client;
    private final Pattern topics;
    private final String namespace;
    private volatile Consumer<byte[]> consumer;
    private final SubscriberClient http;
    private final EventIngress ingress;
    private final EventValidator validator;
    private final Duration attemptTimeout;
    private final Duration maxPause;
    private final int maxPending;
    private final Semaphore pending;
    private final KeySequencer sequencer = new KeySequencer();
    private final DispatchStats stats = new DispatchStats();
    private final Thread receiver;
    private final ScheduledExecutorService timers;
    private final TopicCoverage coverage;
    private final DeliveryPause pause;
    private final DeliveryFailureLog failures;
    private volatile boolean running = true;

    private TriggerSubscription(Trigger trigger, URI subscriber, PulsarClient client, Topics topics, ConsumerBuilder<byte[]> subscription,
            Consumer<byte[]> consumer, SubscriberClient http, EventIngress ingress, SubscriptionSettings settings) {
        this.trigger = trigger;
        this.subscriber = subscriber;
        this.client = client;
        this.subscription = subscription;
        this.topics = topics.allTenants(trigger.families());
        this.namespace = topics.namespace();
        this.coverage = new TopicCoverage(this.topics);
        this.consumer = consumer;
        this.http = http;
        this.ingress = ingress;
        this.validator = EventValidator.standard();
        this.attemptTimeout = trigger.delivery().timeout().orElse(settings.attemptTimeout());
        this.maxPause = settings.pause().maxPause();
        this.maxPending = settings.maxPending();
        this.pending = new Semaphore(maxPending);
        this.receiver = new Thread(this::receive, "trigger-" + trigger.name());
        this.receiver.setDaemon(true);
        this.timers = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "trigger-timers-" + trigger.name());
            thread.setDaemon(true);
            return thread;
        });
        this.pause = new DeliveryPause(trigger.id(), subscriber, settings.pause(), Clock.systemUTC(), (task, delay) -> {
            try {
                timers.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException closing) {
                // closed: the waiting events were left to Pulsar
            }
        });
        this.failures = new DeliveryFailureLog(LOG, "Trigger " + trigger.id(), Clock.systemUTC(), DeliveryFailureLog.INTERVAL);
        long every = Math.max(5, settings.topicDiscovery().toSeconds() * 6);
        timers.scheduleWithFixedDelay(this::checkTopics, every, every, TimeUnit.SECONDS);
        long summary = DeliveryFailureLog.INTERVAL.toMillis();
        timers.scheduleWithFixedDelay(failures::summariseIfDue, summary, summary, TimeUnit.MILLISECONDS);
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
        ConsumerBuilder<byte[]> subscription = client.newConsumer(Schema.BYTES)
                .topicsPattern(topics.allTenants(trigger.families()))
                .subscriptionTopicsMode(RegexSubscriptionMode.PersistentOnly)
                .patternAutoDiscoveryPeriod((int) Math.max(1, settings.topicDiscovery().toSeconds()), TimeUnit.SECONDS)
                .subscriptionName(trigger.subscriptionName())
                .subscriptionType(SubscriptionType.Key_Shared)
                .keySharedPolicy(KeySharedPolicy.autoSplitHashRange())
                // a tenant's topic found after its first events were written must still deliver them
                .subscriptionInitialPosition(SubscriptionInitialPosition.Earliest)
                .receiverQueueSize(Math.min(1000, settings.maxPending()))
                .negativeAckRedeliveryDelay(settings.redeliveryDelay().toMillis(), TimeUnit.MILLISECONDS);
        return subscription.clone().subscribeAsync()
                .thenApply(consumer -> {
                    TriggerSubscription started = new TriggerSubscription(trigger, subscriber, client, topics, subscription, consumer,
                            http, ingress, settings);
                    started.receiver.start();
                    LOG.log(System.Logger.Level.INFO, "Trigger {0}: delivering {1} to {2}, subscription {3}, {4}",
                            trigger.id(), trigger.families(), subscriber, trigger.subscriptionName(), trigger.delivery());
                    return started;
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

    /** The topics the subscription reads now (each tenant's of the Trigger's families, as the pattern found them). */
    public List<String> topics() {
        Consumer<byte[]> reading = consumer;
        return reading instanceof MultiTopicsConsumerImpl<?> multi ? List.copyOf(multi.getPartitions()) : List.of(reading.getTopic());
    }

    /** See {@link DispatchStats#observeDeliveries}. */
    public void observeDeliveries(LongConsumer observer) {
        stats.observeDeliveries(observer);
    }

    /** See {@link DispatchStats#observeAttempts}. */
    public void observeAttempts(LongConsumer observer) {
        stats.observeAttempts(observer);
    }

    /** Whether the subscription is up: taking events from Pulsar, or paused while its subscriber is unreachable. */
    public boolean running() {
        return running && receiver.isAlive() && consumer.isConnected();
    }

    /** The unreachable subscriber, while there is one. */
    public Optional<DeliveryPause.State> pause() {
        return pause.state();
    }

    private void receive() {
        while (running) {
            Message<byte[]> message;
            Consumer<byte[]> current = consumer;
            try {
                if (pause.paused()) {
                    Thread.sleep(POLL.toMillis()); // the events stay in Pulsar until the subscriber is back
                    continue;
                }
                if (!pending.tryAcquire(POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                    continue;
                }
                message = current.receive((int) POLL.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (PulsarClientException e) {
                pending.release();
                if (current != consumer) {
                    continue; // subscribed again (checkTopics): take events from the new consumer
                }
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
            sequencer.submit(message.hasKey() ? message.getKey() : null, () -> handle(current, message)).whenComplete((done, failure) -> {
                pending.release();
                if (failure != null) {
                    String why = rootMessage(failure);
                    failures.failed("events went back to Pulsar for redelivery: " + why,
                            () -> "event " + message.getMessageId() + " goes back to Pulsar for redelivery: " + why);
                    stats.redelivered.increment();
                    current.negativeAcknowledge(message);
                }
            });
        }
    }

    private CompletableFuture<Void> handle(Consumer<byte[]> from, Message<byte[]> message) {
        Map<String, String> properties = message.getProperties();
        if (properties.containsKey(PulsarProperties.SPEC_VERSION)) {
            EventAttributes attributes = name -> properties.get(PulsarProperties.propertyOf(name));
            if (!forThisTrigger(properties.get(REPLAY_FOR)) || !trigger.filter().test(attributes)) {
                return skip(from, message);
            }
            return attempt(from, message, attributes, BinaryHttpForm.of(properties, message.getValue()), 1);
        }
        CloudEvent event;
        try {
            event = PulsarMessageFactory.createReader(message).toEvent();
        } catch (RuntimeException e) {
            failures.failed("messages were not CloudEvents, to the dead letters", () -> "message " + message.getMessageId() + " on "
                    + message.getTopicName() + " is not a CloudEvent, to the dead letters: " + e.getMessage());
            return ingress.deadLetterUnreadable(properties, message.getKey(), message.getValue(),
                            "not a CloudEvent (" + e.getMessage() + "), read by Trigger " + trigger.id() + " on " + message.getTopicName())
                    .thenCompose(written -> acknowledge(from, message, stats.deadLettered));
        }
        EventAttributes attributes = EventAttributes.of(event);
        if (!forThisTrigger(Events.extension(event, Extensions.REPLAY_FOR)) || !trigger.filter().test(attributes)) {
            return skip(from, message);
        }
        return attempt(from, message, attributes, BinaryHttpForm.of(event), 1);
    }

    /** A replayed dead letter is for the Trigger that dead-lettered it; any other event is for every Trigger it passes. */
    private boolean forThisTrigger(String replayFor) {
        return replayFor == null || replayFor.equals(trigger.id());
    }

    private CompletableFuture<Void> skip(Consumer<byte[]> from, Message<byte[]> message) {
        return acknowledge(from, message, stats.filteredOut);
    }

    private CompletableFuture<Void> attempt(Consumer<byte[]> from, Message<byte[]> message, EventAttributes attributes,
            OutboundEvent request, int attempt) {
        if (pause.paused()) {
            return pause.hold(null).thenCompose(next -> afterPause(next, from, message, attributes, request, attempt, null));
        }
        return send(from, message, attributes, request, attempt);
    }

    private CompletableFuture<Void> send(Consumer<byte[]> from, Message<byte[]> message, EventAttributes attributes,
            OutboundEvent request, int attempt) {
        CompletableFuture<SubscriberResponse> answer;
        long sent = System.nanoTime();
        try {
            answer = http.post(subscriber, request, attemptTimeout);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.handle((response, failure) -> {
            stats.attempted(System.nanoTime() - sent);
            return AttemptOutcome.of(response, failure, attemptTimeout);
        }).thenCompose(outcome -> {
            if (outcome instanceof AttemptOutcome.Unreachable unreachable) {
                return pause.hold(unreachable.reason())
                        .thenCompose(next -> afterPause(next, from, message, attributes, request, attempt, unreachable));
            }
            pause.reached();
            if (outcome instanceof AttemptOutcome.Delivered delivered) {
                return delivered(from, message, attributes, delivered.response(), attempt);
            }
            return failed(from, message, attributes, request, attempt, (AttemptOutcome.Failed) outcome);
        });
    }

    /** After waiting for an unreachable subscriber ({@code unreachable}: what this event's attempt said, if it made one). */
    private CompletableFuture<Void> afterPause(DeliveryPause.Next next, Consumer<byte[]> from, Message<byte[]> message,
            EventAttributes attributes, OutboundEvent request, int attempt, AttemptOutcome.Unreachable unreachable) {
        switch (next) {
            case PROBE:
                return send(from, message, attributes, request, attempt);
            case RESUME:
                return attempt(from, message, attributes, request, attempt);
            case GIVE_UP:
                if (unreachable == null) {
                    return send(from, message, attributes, request, attempt); // it waited without trying: it tries now
                }
                return failed(from, message, attributes, request, attempt, new AttemptOutcome.Failed(OptionalInt.empty(),
                        unreachable.reason() + "; unreachable for longer than the longest pause (" + maxPause + ")", true));
            default:
                // closing: not acknowledged, so Pulsar redelivers it (to another replica, or after the next start)
                return CompletableFuture.completedFuture(null);
        }
    }

    private CompletableFuture<Void> failed(Consumer<byte[]> from, Message<byte[]> message, EventAttributes attributes,
            OutboundEvent request, int attempt, AttemptOutcome.Failed failed) {
        Optional<Duration> wait = failed.retryable() ? trigger.delivery().delayAfter(attempt) : Optional.empty();
        if (wait.isEmpty()) {
            String reason = failed.retryable() ? failed.reason() + " (attempt " + attempt + " of " + trigger.delivery().maxAttempts() + ")"
                    : failed.reason() + " (not retried)";
            return deadLetter(from, message, failed.status(), reason, failed.kind(), attempt);
        }
        stats.retries.increment();
        Executor later = CompletableFuture.delayedExecutor(wait.get().toNanos(), TimeUnit.NANOSECONDS);
        return CompletableFuture.runAsync(() -> { }, later).thenCompose(waited -> attempt(from, message, attributes, request, attempt + 1));
    }

    private CompletableFuture<Void> delivered(Consumer<byte[]> from, Message<byte[]> message, EventAttributes attributes,
            SubscriberResponse response, int attempt) {
        Optional<Validation> reply = ReplyEvents.read(response, validator);
        if (reply.isEmpty()) {
            return acknowledgeDelivered(from, message);
        }
        if (!reply.get().isValid()) {
            return deadLetter(from, message, OptionalInt.of(response.status()), "the subscriber answered HTTP " + response.status()
                    + " with an invalid reply event: " + reply.get().summary(), "an invalid reply event", attempt);
        }
        CloudEvent replyEvent = ReplyEvents.inherit(reply.get().event(), attributes);
        return ingress.publish(replyEvent, ReplyEvents.tenantOf(attributes)).thenCompose(written -> {
            stats.replies.increment();
            return acknowledgeDelivered(from, message);
        });
    }

    /** @param kind the reason without what differs from one event to the next, for the log */
    private CompletableFuture<Void> deadLetter(Consumer<byte[]> from, Message<byte[]> message, OptionalInt status, String reason,
            String kind, int attempts) {
        CloudEvent original;
        try {
            original = PulsarMessageFactory.createReader(message).toEvent();
        } catch (RuntimeException e) {
            return ingress.deadLetterUnreadable(message.getProperties(), message.getKey(), message.getValue(),
                            reason + "; and the message is not a readable CloudEvent: " + e.getMessage())
                    .thenCompose(written -> acknowledge(from, message, stats.deadLettered));
        }
        CloudEvent letter = DeadLetters.of(original, subscriber, status, reason, attempts, trigger.id(), message.getTopicName());
        failures.failed("deliveries to " + subscriber + " failed, to the dead letters: " + kind, () -> "event " + original.getId()
                + " (" + original.getType() + ") to the dead letters after " + attempts + " attempt(s): " + reason);
        return ingress.deadLetter(letter).thenCompose(written -> acknowledge(from, message, stats.deadLettered));
    }

    /** Acknowledges through the consumer that received the message (a replaced one fails: Pulsar redelivers). */
    private CompletableFuture<Void> acknowledge(Consumer<byte[]> from, Message<byte[]> message, LongAdder outcome) {
        return from.acknowledgeAsync(message.getMessageId()).thenRun(outcome::increment);
    }

    private CompletableFuture<Void> acknowledgeDelivered(Consumer<byte[]> from, Message<byte[]> message) {
        return from.acknowledgeAsync(message.getMessageId()).thenRun(() -> stats.delivered(message.getPublishTime(), System.currentTimeMillis()));
    }

    /** Subscribes again when the subscription misses a topic its pattern matches ({@link TopicCoverage}). */
    private void checkTopics() {
        if (!running || !(client instanceof PulsarClientImpl impl) || !(consumer instanceof MultiTopicsConsumerImpl<?> reading)) {
            return;
        }
        try {
            GetTopicsResult existing = impl.getLookup().getTopicsUnderNamespace(NamespaceName.get(namespace),
                    CommandGetTopicsOfNamespace.Mode.PERSISTENT, topics.pattern(), null).get(30, TimeUnit.SECONDS);
            Set<String> missing = coverage.check(existing.getTopics(), reading.getPartitions());
            if (missing.isEmpty()) {
                return;
            }
            LOG.log(System.Logger.Level.WARNING, "Trigger {0}: not reading {1} (Pulsar gave up subscribing while the broker was "
                    + "unavailable); subscribing again", trigger.id(), missing);
            Consumer<byte[]> previous = consumer;
            consumer = subscription.clone().subscribe();
            previous.closeAsync();
            coverage.reset();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "Trigger {0}: could not check the subscribed topics: {1}", trigger.id(), e.toString());
        }
    }

    /**
     * Stops taking events, lets those in hand finish for up to {@code grace}, then closes the
     * consumer; events not finished by then are redelivered by Pulsar (to another replica or the next start).
     */
    public void close(Duration grace) {
        running = false;
        timers.shutdownNow();
        pause.close();
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
        return String.valueOf(Failures.root(failure));
    }
}
