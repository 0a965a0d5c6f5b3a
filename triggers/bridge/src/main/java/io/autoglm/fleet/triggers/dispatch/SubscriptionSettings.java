package io.autoglm.fleet.triggers.dispatch;

import java.time.Duration;
import java.util.Objects;

/**
 * How the dispatcher consumes and delivers, for every Trigger.
 *
 * @param concurrency       most requests in flight to one Trigger's subscriber at once
 * @param maxPending        most events of one Trigger taken from Pulsar and not yet acknowledged
 *                          (waiting for their device's turn, being delivered, retried or dead-lettered); also
 *                          Pulsar's receiver queue. Events in hand are what each young collection copies: 256 (four
 *                          per connection at the default concurrency) keeps every connection busy; with the
 *                          dispatcher's fixed young generation it took a quarter of the GC pauses of 1000 (BENCHMARKS.md)
 * @param attemptTimeout    limit of one delivery attempt when the Trigger sets no {@code delivery.timeout}
 * @param topicDiscovery    how often the pattern subscription looks for new tenants' topics
 * @param redeliveryDelay   wait before Pulsar redelivers an event whose reply or dead letter could not be written
 * @param pause             how a Trigger whose subscriber is unreachable probes it, and how long it waits before dead-lettering
 */
public record SubscriptionSettings(int concurrency, int maxPending, Duration attemptTimeout, Duration topicDiscovery,
        Duration redeliveryDelay, DeliveryPause.Bounds pause) {

    public static final SubscriptionSettings DEFAULTS =
            new SubscriptionSettings(64, 256, Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(1));

    /** With the default pause bounds ({@link DeliveryPause.Bounds#DEFAULTS}). */
    public SubscriptionSettings(int concurrency, int maxPending, Duration attemptTimeout, Duration topicDiscovery, Duration redeliveryDelay) {
        this(concurrency, maxPending, attemptTimeout, topicDiscovery, redeliveryDelay, DeliveryPause.Bounds.DEFAULTS);
    }

    public SubscriptionSettings {
        if (concurrency < 1 || maxPending < 1) {
            throw new IllegalArgumentException("concurrency and maxPending must be >= 1");
        }
        Objects.requireNonNull(attemptTimeout, "attemptTimeout");
        Objects.requireNonNull(topicDiscovery, "topicDiscovery");
        Objects.requireNonNull(redeliveryDelay, "redeliveryDelay");
        Objects.requireNonNull(pause, "pause");
    }

    public SubscriptionSettings withPause(DeliveryPause.Bounds bounds) {
        return new SubscriptionSettings(concurrency, maxPending, attemptTimeout, topicDiscovery, redeliveryDelay, bounds);
    }
}
