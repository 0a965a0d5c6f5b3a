package io.autoglm.fleet.triggers.dispatcher;

import io.autoglm.fleet.service.LatencyHistogram;
import io.autoglm.fleet.triggers.dispatch.DispatchStats;
import io.autoglm.fleet.triggers.dispatch.Dispatcher;
import io.autoglm.fleet.triggers.dispatch.TriggerSubscription;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Each Trigger's figures at {@code /q/metrics}, tagged {@code trigger} ({@code namespace/name}): the counts that
 * {@code /stats} shows, read from the same {@link DispatchStats} when scraped (received, filtered out, delivered,
 * retried, replies, dead-lettered, handed back to Pulsar), the events in flight, whether the Trigger is paused for an
 * unreachable subscriber, and the delivery lag histogram ({@code autoglm_dispatcher_delivery_seconds}: from the event's
 * write to Pulsar to its acknowledged delivery), each attempt's time ({@code autoglm_dispatcher_attempt_seconds}), and with an admin URL the subscription's backlog in Pulsar ({@link SubscriptionBacklog}).
 */
final class DispatcherMeters implements MeterBinder {

    private final Dispatcher dispatcher;
    private final Function<TriggerSubscription, SubscriptionBacklog> backlogs;

    /** @param backlogs each Trigger's backlog, or null when it is not read */
    DispatcherMeters(Dispatcher dispatcher, Function<TriggerSubscription, SubscriptionBacklog> backlogs) {
        this.dispatcher = dispatcher;
        this.backlogs = backlogs;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (TriggerSubscription subscription : dispatcher.subscriptions()) {
            Tags trigger = Tags.of("trigger", subscription.trigger().id());
            count(registry, "autoglm.dispatcher.received", "Events taken from Pulsar", trigger, subscription, DispatchStats.Snapshot::received);
            count(registry, "autoglm.dispatcher.filtered", "Events the Trigger's filter left out (acknowledged)", trigger, subscription,
                    DispatchStats.Snapshot::filteredOut);
            count(registry, "autoglm.dispatcher.delivered", "Events the subscriber took (2xx), acknowledged", trigger, subscription,
                    DispatchStats.Snapshot::delivered);
            count(registry, "autoglm.dispatcher.retries", "Attempts sent again after a retryable failure", trigger, subscription,
                    DispatchStats.Snapshot::retries);
            count(registry, "autoglm.dispatcher.replies", "Reply events written back to Pulsar", trigger, subscription,
                    DispatchStats.Snapshot::replies);
            count(registry, "autoglm.dispatcher.dead.letters", "Events given up on, to the tenant's dead-letter topic", trigger,
                    subscription, DispatchStats.Snapshot::deadLettered);
            count(registry, "autoglm.dispatcher.redelivered", "Events handed back to Pulsar because a write of ours failed", trigger,
                    subscription, DispatchStats.Snapshot::redelivered);
            Gauge.builder("autoglm.dispatcher.in.flight", subscription, s -> s.stats().inFlight())
                    .description("Events received and not finished yet").tags(trigger).register(registry);
            Gauge.builder("autoglm.dispatcher.paused", subscription, s -> s.pause().isPresent() ? 1 : 0)
                    .description("1 while the Trigger waits for an unreachable subscriber").tags(trigger).register(registry);
            Timer lag = LatencyHistogram.timer("autoglm.dispatcher.delivery",
                    "From the event's write to Pulsar to its acknowledged delivery, retries included").tags(trigger).register(registry);
            subscription.observeDeliveries(millis -> lag.record(millis, TimeUnit.MILLISECONDS));
            Timer attempt = LatencyHistogram.timer("autoglm.dispatcher.attempt",
                    "From a request to the subscriber to its answer, or its failure").tags(trigger).register(registry);
            subscription.observeAttempts(nanos -> attempt.record(nanos, TimeUnit.NANOSECONDS));
            SubscriptionBacklog backlog = backlogs.apply(subscription);
            if (backlog != null) {
                Gauge.builder("autoglm.dispatcher.backlog", backlog, SubscriptionBacklog::value)
                        .description("Events in Pulsar not acknowledged yet by the Trigger's subscription (the broker's msgBacklog)")
                        .tags(trigger).register(registry);
            }
        }
    }

    private static void count(MeterRegistry registry, String name, String description, Tags trigger, TriggerSubscription subscription,
            ToLongFunction<DispatchStats.Snapshot> count) {
        FunctionCounter.builder(name, subscription, s -> count.applyAsLong(s.stats())).description(description).tags(trigger)
                .register(registry);
    }
}
