package io.autoglm.fleet.triggers.dispatch;

import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.triggers.ingress.EventIngress;
import io.autoglm.fleet.triggers.knative.Destination;
import io.autoglm.fleet.triggers.knative.Trigger;
import org.apache.pulsar.client.api.PulsarClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The trigger dispatcher: one {@link TriggerSubscription} per Trigger object, all sharing the Pulsar
 * client and the ingress path for replies and dead letters. Knative Triggers drive it the same way
 * on a laptop (YAML files) and in a cluster (a ConfigMap).
 */
public final class Dispatcher implements AutoCloseable {

    private final List<TriggerSubscription> subscriptions;

    private Dispatcher(List<TriggerSubscription> subscriptions) {
        this.subscriptions = List.copyOf(subscriptions);
    }

    /**
     * Subscribes every Trigger; completes when all subscriptions are in place.
     *
     * @param addresses where the subscribers named by reference answer
     * @param clients   an HTTP client per Trigger (for its subscriber)
     */
    public static CompletableFuture<Dispatcher> start(PulsarClient client, Topics topics, List<Trigger> triggers,
            Destination.Addresses addresses, Function<Trigger, SubscriberClient> clients, EventIngress ingress,
            SubscriptionSettings settings) {
        Objects.requireNonNull(addresses, "addresses");
        List<CompletableFuture<TriggerSubscription>> starting = new ArrayList<>();
        for (Trigger trigger : triggers) {
            starting.add(TriggerSubscription.start(client, topics, trigger, trigger.subscriber().resolve(addresses),
                    clients.apply(trigger), ingress, settings));
        }
        return CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new)).handle((all, failure) -> {
            List<TriggerSubscription> started = new ArrayList<>();
            starting.stream().filter(future -> !future.isCompletedExceptionally()).forEach(future -> started.add(future.join()));
            if (failure != null) {
                started.forEach(subscription -> subscription.close(Duration.ZERO));
                throw new IllegalStateException("Could not subscribe every Trigger: " + failure.getMessage(), failure);
            }
            return new Dispatcher(started);
        });
    }

    public List<TriggerSubscription> subscriptions() {
        return subscriptions;
    }

    /** Counts per Trigger ({@code namespace/name}). */
    public Map<String, DispatchStats.Snapshot> stats() {
        Map<String, DispatchStats.Snapshot> stats = new LinkedHashMap<>();
        subscriptions.forEach(subscription -> stats.put(subscription.trigger().id(), subscription.stats()));
        return stats;
    }

    /** The sum over every Trigger. */
    public DispatchStats.Snapshot totals() {
        return subscriptions.stream().map(TriggerSubscription::stats).reduce(DispatchStats.Snapshot.zero(), DispatchStats.Snapshot::plus);
    }

    /** The Triggers ({@code namespace/name}) whose subscriber is unreachable now, and since when. */
    public Map<String, DeliveryPause.State> paused() {
        Map<String, DeliveryPause.State> paused = new LinkedHashMap<>();
        subscriptions.forEach(subscription -> subscription.pause().ifPresent(state -> paused.put(subscription.trigger().id(), state)));
        return paused;
    }

    /** Whether every Trigger's subscription is up (taking events from Pulsar, or paused for its subscriber). */
    public boolean running() {
        return subscriptions.stream().allMatch(TriggerSubscription::running);
    }

    /** Stops every subscription, letting events in hand finish for up to {@code grace}. */
    public void close(Duration grace) {
        subscriptions.parallelStream().forEach(subscription -> subscription.close(grace));
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
