package io.autoglm.fleet.controlplane;

import io.autoglm.fleet.events.EventFamily;
import io.autoglm.fleet.events.pulsar.PulsarEventPublisher;
import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.events.testing.PulsarEndpoints;
import io.autoglm.fleet.triggers.dispatch.DispatchStats;
import io.autoglm.fleet.triggers.dispatch.Dispatcher;
import io.autoglm.fleet.triggers.dispatch.SubscriberClient;
import io.autoglm.fleet.triggers.dispatch.SubscriptionSettings;
import io.autoglm.fleet.triggers.ingress.EventIngress;
import io.autoglm.fleet.triggers.knative.Destination;
import io.autoglm.fleet.triggers.knative.Trigger;
import io.autoglm.fleet.triggers.knative.TriggerObjects;
import io.autoglm.fleet.triggers.testing.TestNamespaces;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The device control plane running for a test on the real broker, in a Pulsar namespace of its own: the registry,
 * heartbeat and router functions, and the trigger dispatcher (trigger-bridge's {@link Dispatcher}) running the
 * fleet's Trigger objects ({@code knative/base/triggers/triggers.yaml}: filters, delivery specs, dead letters as in
 * production) that feeds them every tenant's events and writes their replies back. The functions run either as the
 * processes they are deployed as (over HTTP) or as their services in this JVM.
 */
abstract class ControlPlane implements AutoCloseable {

    /** The Triggers of the functions this control plane runs; the inference function's is not run. */
    static final List<String> FUNCTIONS = List.of("registry", "heartbeat", "router");

    /** The dispatcher's defaults (DispatcherSettings), but new tenants' topics found within a second. */
    static final SubscriptionSettings DISPATCH =
            new SubscriptionSettings(64, 1000, Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(1));

    final Topics topics;
    final PulsarClient client;
    final PulsarEventPublisher publisher;
    final EventIngress ingress;
    private Dispatcher dispatcher;

    ControlPlane(PulsarEndpoints endpoints) throws PulsarClientException {
        topics = TestNamespaces.create(endpoints, "control-plane");
        client = endpoints.clientBuilder().enableTransaction(true).build();
        publisher = new PulsarEventPublisher(client, topics);
        ingress = new EventIngress(topics, publisher, null, Duration.ofSeconds(10));
    }

    /**
     * The fleet's Trigger objects named {@code names}, as the dispatcher reads them
     * ({@code -Dcontrol-plane.triggers}, by default {@code knative/base/triggers/triggers.yaml}).
     */
    static List<Trigger> fleetTriggers(List<String> names) {
        Path file = Path.of(System.getProperty("control-plane.triggers", "../../knative/base/triggers/triggers.yaml"));
        List<Trigger> triggers = new TriggerObjects("default", Optional.of("fleet")).read(file).stream()
                .filter(trigger -> names.contains(trigger.name())).toList();
        if (triggers.size() != names.size()) {
            throw new IllegalStateException(file + " has Triggers " + triggers.stream().map(Trigger::name).toList() + ", expected " + names);
        }
        return triggers;
    }

    /** Starts the dispatcher: each function's Trigger delivers to {@code subscribers} (by function name) through {@code clients}. */
    void dispatch(Map<String, URI> subscribers, Function<Trigger, SubscriberClient> clients) throws Exception {
        dispatch(FUNCTIONS, subscribers, clients);
    }

    /** Starts the dispatcher with the Triggers named {@code triggers}. */
    void dispatch(List<String> triggers, Map<String, URI> subscribers, Function<Trigger, SubscriberClient> clients) throws Exception {
        dispatcher = Dispatcher.start(client, topics, fleetTriggers(triggers), Destination.Addresses.clusterLocal(subscribers), clients, ingress,
                DISPATCH).get(60, TimeUnit.SECONDS);
    }

    /** What the dispatcher counted over every Trigger. */
    DispatchStats.Snapshot dispatched() {
        return dispatcher.totals();
    }

    List<String> topicsOf(List<String> tenants, EventFamily family) {
        List<String> names = new ArrayList<>();
        tenants.forEach(tenant -> names.add(topics.events(tenant, family)));
        return names;
    }

    /** Messages the heartbeat function wrote per heartbeat it accepted (deadlines, status records, replies). */
    abstract double messagesPerHeartbeat();

    /** What the heartbeat function counted, for failure messages and reports. */
    abstract String heartbeatCounters();

    /** Each function's resident memory in MB, where it runs as a process of its own. */
    abstract Map<String, Long> residentMegabytes();

    /** What runs where, for reports. */
    abstract String describe();

    @Override
    public void close() throws Exception {
        if (dispatcher != null) {
            dispatcher.close(Duration.ofSeconds(5));
        }
        publisher.close();
        client.close();
    }
}
