package io.autoglm.fleet.controlplane;

import io.autoglm.fleet.events.pulsar.PulsarEventPublisher;
import io.autoglm.fleet.events.pulsar.PulsarProperties;
import io.autoglm.fleet.events.validation.EventValidator;
import io.autoglm.fleet.events.validation.HttpEvents;
import io.autoglm.fleet.events.validation.Validation;
import io.autoglm.fleet.state.KeySequencer;
import io.cloudevents.CloudEvent;
import org.apache.pulsar.client.api.Consumer;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;
import org.apache.pulsar.client.api.Schema;
import org.apache.pulsar.client.api.SubscriptionInitialPosition;
import org.apache.pulsar.client.api.SubscriptionType;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A minimal data plane for the control-plane tests and the end-to-end benchmark: a Key_Shared subscription per
 * route, read by a thread of its own; each message of the route's types handed to the function (POSTed in binary
 * mode to its process, or given to its service in this JVM), one at a time per device id and at most
 * {@code maxInFlight} per route (one busy route never starves another); the reply event published where its type
 * and tenant say ({@code Topics.forEvent}), then the message acknowledged. A 5xx or a failure is negatively
 * acknowledged (redelivered), a 4xx acknowledged and counted. It stands in for the trigger dispatcher
 * (triggers/, built separately), which adds Trigger filters, retries with backoff and dead letters.
 */
final class DataPlane implements AutoCloseable {

    /** What a route hands its messages to: completes with the reply event, or null for none; fails to have it redelivered. */
    @FunctionalInterface
    interface Handler {
        CompletableFuture<CloudEvent> handle(Message<byte[]> message);
    }

    /** A caller's mistake (an HTTP 4xx): acknowledged, counted, not retried. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    /** Messages of {@code types} on {@code topics} go to {@code handler}. */
    record Route(String subscription, List<String> topics, Set<String> types, Handler handler) {
        Route {
            topics = List.copyOf(topics);
            types = Set.copyOf(types);
            Objects.requireNonNull(handler, "handler");
        }
    }

    private static final System.Logger LOG = System.getLogger(DataPlane.class.getName());
    private static final String TYPE_PROPERTY = PulsarProperties.propertyOf("type");

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    private static final EventValidator VALIDATOR = EventValidator.standard();

    private final PulsarClient client;
    private final PulsarEventPublisher replies;
    private final KeySequencer perKey = new KeySequencer();
    private final int maxInFlight;
    private final List<Consumer<byte[]>> consumers = new CopyOnWriteArrayList<>();
    private final List<Thread> readers = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;
    final LongAdder delivered = new LongAdder();
    final LongAdder repliesPublished = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder failed = new LongAdder();

    DataPlane(PulsarClient client, PulsarEventPublisher replies, int maxInFlight) {
        this.client = client;
        this.replies = replies;
        this.maxInFlight = maxInFlight;
    }

    void start(Route route) throws PulsarClientException {
        Consumer<byte[]> consumer = client.newConsumer(Schema.BYTES)
                .topics(route.topics())
                .subscriptionName(route.subscription())
                .subscriptionType(SubscriptionType.Key_Shared)
                .subscriptionInitialPosition(SubscriptionInitialPosition.Earliest)
                .negativeAckRedeliveryDelay(1, TimeUnit.SECONDS)
                .receiverQueueSize(2000)
                .subscribe();
        consumers.add(consumer);
        Semaphore inFlight = new Semaphore(maxInFlight);
        Thread reader = new Thread(() -> {
            while (running) {
                try {
                    Message<byte[]> message = consumer.receive(100, TimeUnit.MILLISECONDS);
                    if (message != null) {
                        onMessage(route, consumer, message, inFlight);
                    }
                } catch (PulsarClientException e) {
                    if (running) {
                        LOG.log(System.Logger.Level.WARNING, "route {0}: {1}", route.subscription(), e.getMessage());
                    }
                }
            }
        }, "bridge-" + route.subscription());
        reader.setDaemon(true);
        readers.add(reader);
        reader.start();
    }

    private void onMessage(Route route, Consumer<byte[]> consumer, Message<byte[]> message, Semaphore inFlight) {
        if (!route.types().contains(message.getProperty(TYPE_PROPERTY))) {
            consumer.acknowledgeAsync(message);
            return;
        }
        inFlight.acquireUninterruptibly();
        String key = message.hasKey() ? message.getKey() : message.getMessageId().toString();
        perKey.submit(key, () -> settle(route.handler(), message)).whenComplete((settled, failure) -> {
            inFlight.release();
            if (failure == null) {
                consumer.acknowledgeAsync(message);
            } else if (failure instanceof Refused || failure.getCause() instanceof Refused) {
                refused.increment();
                LOG.log(System.Logger.Level.WARNING, "refused: {0}", failure.getMessage());
                consumer.acknowledgeAsync(message);
            } else {
                failed.increment();
                LOG.log(System.Logger.Level.DEBUG, "redelivering {0}: {1}", message.getMessageId(), failure.getMessage());
                consumer.negativeAcknowledge(message);
            }
        });
    }

    /** Completes when the event is settled (reply published, or nothing to publish); fails for a retryable failure. */
    private CompletableFuture<Void> settle(Handler handler, Message<byte[]> message) {
        CompletableFuture<CloudEvent> reply;
        try {
            reply = handler.handle(message);
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        return reply.thenCompose(event -> {
            delivered.increment();
            return event == null ? CompletableFuture.completedFuture(null) : replies.publish(event).thenRun(repliesPublished::increment);
        });
    }

    /** POSTs each message to {@code target} in binary mode; the reply is read back from the response. */
    static Handler http(URI target) {
        return message -> {
            HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(message.getValue()));
            message.getProperties().forEach((name, value) -> {
                if (name.startsWith(PulsarProperties.CE_PREFIX)) {
                    request.header("ce-" + name.substring(PulsarProperties.CE_PREFIX.length()), value);
                } else if (name.equals(PulsarProperties.CONTENT_TYPE)) {
                    request.header("Content-Type", value);
                }
            });
            return HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> {
                int status = response.statusCode();
                if (status >= 500) {
                    throw new IllegalStateException(target + " answered " + status + ": " + new String(response.body()));
                }
                if (status >= 400) {
                    throw new Refused(target + " refused " + message.getProperty(TYPE_PROPERTY) + " with " + status + ": " + new String(response.body()));
                }
                if (status == 204 || response.headers().firstValue("ce-type").isEmpty() && response.body().length == 0) {
                    return null;
                }
                List<Map.Entry<String, String>> headers = new ArrayList<>();
                response.headers().map().forEach((name, values) -> values.forEach(value -> headers.add(new AbstractMap.SimpleEntry<>(name, value))));
                Validation reply = HttpEvents.read(VALIDATOR, headers, response.body()).get(0);
                if (!reply.isValid()) {
                    throw new IllegalStateException(target + " replied with an invalid event: " + reply.summary());
                }
                return reply.event();
            });
        };
    }

    @Override
    public void close() {
        running = false;
        for (Thread reader : readers) {
            try {
                reader.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Consumer<byte[]> consumer : consumers) {
            consumer.closeAsync();
        }
        consumers.clear();
    }
}
