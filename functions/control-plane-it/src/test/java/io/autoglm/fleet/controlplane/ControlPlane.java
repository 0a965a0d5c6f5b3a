package io.autoglm.fleet.controlplane;

import io.autoglm.fleet.events.EventFamily;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.pulsar.PulsarEventPublisher;
import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.events.testing.PulsarEndpoints;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The device control plane running for a test on the real broker: the registry, heartbeat and router functions
 * and the data plane that feeds them their tenants' events and publishes their replies. The functions run
 * either as the processes they are deployed as (over HTTP) or as their services in this JVM.
 */
abstract class ControlPlane implements AutoCloseable {

    final Topics topics = new Topics(Topics.DEFAULT_NAMESPACE);
    final PulsarClient client;
    final PulsarEventPublisher publisher;
    final DataPlane dataPlane;

    ControlPlane(PulsarEndpoints endpoints) throws PulsarClientException {
        client = endpoints.clientBuilder().enableTransaction(true).build();
        publisher = new PulsarEventPublisher(client, topics);
        dataPlane = new DataPlane(client, publisher, 256);
    }

    /** Routes the tenants' requests to the functions. */
    void route(List<String> tenants, DataPlane.Handler registry, DataPlane.Handler heartbeat, DataPlane.Handler router) throws PulsarClientException {
        dataPlane.start(new DataPlane.Route("registry", topicsOf(tenants, EventFamily.DEVICE),
                Set.of(EventType.DEVICE_REGISTRATION_REQUESTED.type(), EventType.DEVICE_DEREGISTRATION_REQUESTED.type()), registry));
        dataPlane.start(new DataPlane.Route("heartbeat", topicsOf(tenants, EventFamily.HEARTBEAT), Set.of(EventType.DEVICE_HEARTBEAT.type()), heartbeat));
        dataPlane.start(new DataPlane.Route("heartbeat-deadlines", topicsOf(tenants, EventFamily.DEADLINE),
                Set.of(EventType.DEVICE_LIVENESS_DEADLINE.type()), heartbeat));
        dataPlane.start(new DataPlane.Route("router", topicsOf(tenants, EventFamily.COMMAND),
                Set.of(EventType.COMMAND_REQUESTED.type(), EventType.COMMAND_BATCH_REQUESTED.type()), router));
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
        dataPlane.close();
        publisher.close();
        client.close();
    }
}
