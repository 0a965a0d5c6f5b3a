package io.autoglm.fleet.triggers.replay;

import io.autoglm.fleet.events.pulsar.PulsarMessageFactory;
import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.triggers.dispatch.DeadLetters;
import io.autoglm.fleet.triggers.ingress.EventIngress;
import io.cloudevents.CloudEvent;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.SubscriptionInitialPosition;
import org.apache.pulsar.client.api.SubscriptionType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Puts a tenant's dead letters back on the topics their events were read from ({@code errortopic}),
 * for the Trigger that could not deliver them ({@code replayfor}), as they were before they failed.
 *
 * <p>A dead letter is replayed once: the dead-letter topic has one durable, exclusive subscription for
 * replays, and a dead letter is acknowledged there once its event is back in Pulsar. Dead letters the
 * filter does not match stay unacknowledged, for a later replay; one replay of a tenant runs at a time
 * (another is refused with {@link ReplayBusyException}). A replay reads the dead letters there were when
 * it started: a replayed event that fails again is a new dead letter, for the next replay. A replica that stops between the write and the acknowledgement leaves that dead letter to
 * be replayed again: the event keeps its id, so a subscriber that dedupes by id takes it once.
 */
public final class DeadLetterReplay {

    /** The dead-letter topics' subscription for replays. */
    public static final String SUBSCRIPTION = "dead-letter-replay";
    /** The {@link ReplayResult#byTrigger()} key of dead letters a function posted itself (no Trigger recorded). */
    public static final String NO_TRIGGER = "(none)";
    private static final int MAX_PROBLEMS = 10;
    private static final int MAX_IN_FLIGHT = 256;
    private static final Duration QUIET = Duration.ofSeconds(5);

    private final PulsarClient client;
    private final Topics topics;
    private final EventIngress ingress;

    public DeadLetterReplay(PulsarClient client, Topics topics, EventIngress ingress) {
        this.client = Objects.requireNonNull(client, "client");
        this.topics = Objects.requireNonNull(topics, "topics");
        this.ingress = Objects.requireNonNull(ingress, "ingress");
    }

    /** Replays the dead letters the filter matches; blocks until they are back in Pulsar (call it off the event loop). */
    public ReplayResult replay(ReplayFilter filter) throws PulsarClientException, InterruptedException {
        String deadLetters = topics.deadLetters(filter.tenant());
        Consumer<byte[]> consumer;
        try {
            consumer = client.newConsumer(Schema.BYTES).topic(deadLetters).subscriptionName(SUBSCRIPTION)
                    .subscriptionType(SubscriptionType.Exclusive)
                    // where the broker acknowledges batch indexes, older batched dead letters are replayed one by one too
                    .enableBatchIndexAcknowledgment(true)
                    .subscriptionInitialPosition(SubscriptionInitialPosition.Earliest)
                    .subscribe();
        } catch (PulsarClientException.ConsumerBusyException e) {
            throw new ReplayBusyException("a replay of tenant " + filter.tenant() + "'s dead letters is running; try again when it is done", e);
        }
        try {
            return new Run(filter, consumer).all();
        } finally {
            consumer.closeAsync().exceptionally(e -> null);
        }
    }

    /** One replay: reads up to the last dead letter there was when it started. */
    private final class Run {
        private final ReplayFilter filter;
        private final Consumer<byte[]> consumer;
        private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        private final Set<MessageId> seen = new HashSet<>();
        private final List<CompletableFuture<Void>> writes = new ArrayList<>();
        private final Map<String, Long> byTrigger = new HashMap<>();
        private final AtomicLong replayed = new AtomicLong();
        private final AtomicLong unreplayable = new AtomicLong();
        private final List<String> problems = new ArrayList<>();
        private long skipped;

        Run(ReplayFilter filter, Consumer<byte[]> consumer) {
            this.filter = filter;
            this.consumer = consumer;
        }

        ReplayResult all() throws PulsarClientException, InterruptedException {
            MessageId last = consumer.getLastMessageId();
            if (last.compareTo(MessageId.earliest) > 0) {
                while (true) {
                    Message<byte[]> message = consumer.receive((int) QUIET.toMillis(), TimeUnit.MILLISECONDS);
                    // dead letters written since the replay began (a replayed event that failed again among them) wait for the next one
                    if (message == null || message.getMessageId().compareTo(last) > 0) {
                        break;
                    }
                    if (seen.add(message.getMessageId())) {
                        take(message);
                    }
                    if (message.getMessageId().compareTo(last) == 0) {
                        break;
                    }
                }
            }
            inFlight.acquire(MAX_IN_FLIGHT);
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
            synchronized (this) {
                return new ReplayResult(filter.tenant(), replayed.get(), skipped, byTrigger, unreplayable.get(), problems);
            }
        }

        private void take(Message<byte[]> message) throws InterruptedException {
            CloudEvent letter;
            try {
                letter = PulsarMessageFactory.createReader(message).toEvent();
            } catch (RuntimeException e) {
                skipped++; // not a CloudEvent: nothing a Trigger could deliver
                return;
            }
            if (!filter.matches(letter, Instant.ofEpochMilli(message.getPublishTime()))) {
                skipped++;
                return;
            }
            Optional<String> topic = originalTopic(letter);
            if (topic.isEmpty()) {
                return;
            }
            String trigger = Optional.ofNullable(DeadLetters.triggerOf(letter)).orElse(NO_TRIGGER);
            inFlight.acquire();
            writes.add(ingress.replay(DeadLetters.replayOf(letter), topic.get())
                    .thenCompose(written -> consumer.acknowledgeAsync(message.getMessageId()))
                    .whenComplete((done, failure) -> {
                        inFlight.release();
                        synchronized (this) {
                            if (failure == null) {
                                replayed.incrementAndGet();
                                byTrigger.merge(trigger, 1L, Long::sum);
                            } else {
                                refuse(letter, "could not be put back: " + failure.getMessage());
                            }
                        }
                    }));
        }

        /** Where the event goes back: the topic it was read from, which must be its tenant's topic for its type. */
        private Optional<String> originalTopic(CloudEvent letter) {
            String expected;
            try {
                expected = topics.forEvent(EventIngress.withTenant(letter, filter.tenant()));
            } catch (RuntimeException e) {
                synchronized (this) {
                    refuse(letter, "has no topic to go back to: " + e.getMessage());
                }
                return Optional.empty();
            }
            String recorded = DeadLetters.topicOf(letter);
            if (recorded == null || recorded.equals(expected) || recorded.startsWith(expected + "-partition-")) {
                return Optional.of(recorded == null ? expected : recorded);
            }
            synchronized (this) {
                refuse(letter, "was read from " + recorded + ", which is not tenant " + filter.tenant() + "'s topic for " + letter.getType());
            }
            return Optional.empty();
        }

        private void refuse(CloudEvent letter, String why) {
            unreplayable.incrementAndGet();
            if (problems.size() < MAX_PROBLEMS) {
                problems.add("dead letter " + letter.getId() + " " + why);
            }
        }
    }
}
