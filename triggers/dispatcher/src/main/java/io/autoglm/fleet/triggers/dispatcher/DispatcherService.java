package io.autoglm.fleet.triggers.dispatcher;

import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.triggers.dispatch.DeliveryPause;
import io.autoglm.fleet.triggers.dispatch.Dispatcher;
import io.autoglm.fleet.triggers.dispatch.SubscriptionSettings;
import io.autoglm.fleet.triggers.dispatch.TriggerSubscription;
import io.autoglm.fleet.triggers.dispatch.HttpSubscriberClient;
import io.autoglm.fleet.triggers.ingress.EventIngress;
import io.autoglm.fleet.triggers.knative.Destination;
import io.autoglm.fleet.triggers.knative.Trigger;
import io.autoglm.fleet.triggers.knative.TriggerObjects;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.apache.pulsar.client.api.PulsarClient;
import org.jboss.logging.Logger;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Starts the dispatcher with the application: reads the Trigger objects (a bad one stops the start,
 * with every problem listed), subscribes each, and stops them on shutdown letting events in hand finish.
 */
@Singleton
public class DispatcherService {

    private static final Logger LOG = Logger.getLogger(DispatcherService.class);

    private final DispatcherSettings settings;
    private final PulsarClient client;
    private final Topics topics;
    private final EventIngress ingress;
    private final Vertx vertx;
    private final MeterRegistry registry;
    private volatile Dispatcher dispatcher;
    private long statsTimer = -1;
    private long backlogTimer = -1;

    DispatcherService(DispatcherSettings settings, PulsarClient client, Topics topics, EventIngress ingress, Vertx vertx,
            MeterRegistry registry) {
        this.settings = settings;
        this.client = client;
        this.topics = topics;
        this.ingress = ingress;
        this.vertx = vertx;
        this.registry = registry;
    }

    void start(@Observes StartupEvent startup) throws Exception {
        List<String> skipped = settings.skip().orElse(List.of());
        List<Trigger> triggers = new TriggerObjects(settings.namespace(), settings.broker()).read(settings.triggers()).stream()
                .filter(trigger -> !skipped.contains(trigger.name()))
                .toList();
        if (!skipped.isEmpty()) {
            LOG.infof("Not running Trigger(s) %s (autoglm.dispatcher.skip)", skipped);
        }
        if (triggers.isEmpty()) {
            LOG.warnf("No Trigger objects of broker %s in %s: nothing to dispatch", settings.broker().orElse("(any)"), settings.triggers());
        }
        triggers.stream().filter(trigger -> trigger.delivery().deadLetterSink().isEmpty()).forEach(trigger -> LOG.infof(
                "Trigger %s has no deadLetterSink: its failed events still go to the tenant's dead-letter topic, so none is lost",
                trigger.id()));
        SubscriptionSettings subscription = new SubscriptionSettings(settings.concurrency(), settings.maxPending(),
                settings.attemptTimeout(), settings.topicDiscovery(), settings.redeliveryDelay(),
                new DeliveryPause.Bounds(settings.probeInterval(), settings.maxProbeInterval(), settings.maxPause()));
        dispatcher = Dispatcher.start(client, topics, triggers, Destination.Addresses.clusterLocal(settings.subscribers()),
                trigger -> new HttpSubscriberClient(vertx, settings.concurrency(), settings.pipelining(), settings.connectTimeout()), ingress, subscription)
                .get(settings.attemptTimeout().toMillis() + 60_000, TimeUnit.MILLISECONDS);
        new DispatcherMeters(dispatcher, backlogs()).bindTo(registry);
        LOG.infof("Dispatching %d Trigger(s) from %s", triggers.size(), settings.triggers());
        if (!settings.statsInterval().isZero()) {
            statsTimer = vertx.setPeriodic(settings.statsInterval().toMillis(), id -> LOG.infof("Trigger counts: %s", dispatcher.stats()));
        }
    }

    /** Each Trigger's backlog, read every backlog-interval from here on; none without an admin URL. */
    private Function<TriggerSubscription, SubscriptionBacklog> backlogs() {
        if (settings.adminUrl().isEmpty()) {
            return subscription -> null;
        }
        HttpClient http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) settings.connectTimeout().toMillis())
                .setMaxPoolSize(2).setKeepAliveTimeout((int) Math.max(1, settings.backlogInterval().toSeconds() * 2)));
        Map<TriggerSubscription, SubscriptionBacklog> backlogs = new LinkedHashMap<>();
        dispatcher.subscriptions().forEach(subscription -> backlogs.put(subscription,
                new SubscriptionBacklog(subscription, settings.adminUrl().get(), http, settings.attemptTimeout())));
        backlogs.values().forEach(SubscriptionBacklog::refresh);
        backlogTimer = vertx.setPeriodic(settings.backlogInterval().toMillis(), id -> backlogs.values().forEach(SubscriptionBacklog::refresh));
        return backlogs::get;
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (statsTimer >= 0) {
            vertx.cancelTimer(statsTimer);
        }
        if (backlogTimer >= 0) {
            vertx.cancelTimer(backlogTimer);
        }
        if (dispatcher != null) {
            dispatcher.close(settings.shutdownGrace());
            LOG.infof("Dispatcher stopped; counts: %s", dispatcher.stats());
        }
    }

    /** The running dispatcher, or null before it started. */
    public Dispatcher dispatcher() {
        return dispatcher;
    }
}
