package io.autoglm.fleet.triggers.dispatcher;

import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.events.testing.PulsarEndpoints;
import io.autoglm.fleet.events.testing.SharedPulsarBroker;
import io.autoglm.fleet.triggers.testing.FleetEvents;
import io.autoglm.fleet.triggers.testing.SubscriberStub;
import io.autoglm.fleet.triggers.testing.TestNamespaces;
import io.cloudevents.CloudEvent;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs the dispatcher application against the build's real broker, in a namespace of its own, with a
 * Trigger file naming a subscriber stub that replies to each heartbeat with a status change, and a
 * Trigger ({@code gone}, globex's heartbeats) whose subscriber is not there.
 */
public class DispatcherAppResource implements QuarkusTestResourceLifecycleManager {

    static volatile Topics topics;
    static volatile SubscriberStub subscriber;
    static volatile PulsarEndpoints endpoints;
    private Vertx vertx;

    @Override
    public Map<String, String> start() {
        endpoints = SharedPulsarBroker.endpoints();
        topics = TestNamespaces.create(endpoints, "dispatcher-app");
        vertx = Vertx.vertx();
        subscriber = SubscriberStub.start(vertx, (event, attempt) -> event.getType().endsWith(".heartbeat")
                ? SubscriberStub.Answer.reply(reply(event)) : SubscriberStub.Answer.status(422));
        try {
            Path triggers = Files.createTempDirectory("dispatcher-app-triggers");
            Files.writeString(triggers.resolve("triggers.yaml"), """
                    apiVersion: eventing.knative.dev/v1
                    kind: Trigger
                    metadata: {name: heartbeat}
                    spec:
                      broker: fleet
                      filters: [{exact: {type: io.autoglm.device.heartbeat}}]
                      subscriber: {ref: {apiVersion: serving.knative.dev/v1, kind: Service, name: heartbeat}}
                    ---
                    apiVersion: eventing.knative.dev/v1
                    kind: Trigger
                    metadata: {name: registry}
                    spec:
                      broker: fleet
                      filter: {attributes: {type: io.autoglm.device.registration.requested}}
                      subscriber: {ref: {apiVersion: serving.knative.dev/v1, kind: Service, name: heartbeat}}
                      delivery: {deadLetterSink: {ref: {apiVersion: serving.knative.dev/v1, kind: Service, name: ingress-sink}, uri: /dead-letters}}
                    ---
                    apiVersion: eventing.knative.dev/v1
                    kind: Trigger
                    metadata: {name: gone}
                    spec:
                      broker: fleet
                      filters: [{exact: {type: io.autoglm.device.heartbeat}}, {exact: {tenant: globex}}]
                      subscriber: {uri: "http://127.0.0.1:%d/"}
                    ---
                    apiVersion: eventing.knative.dev/v1
                    kind: Trigger
                    metadata: {name: other-broker}
                    spec:
                      broker: elsewhere
                      subscriber: {uri: "http://127.0.0.1:1/"}
                    """.formatted(closedPort()));
            return Map.of(
                    "autoglm.pulsar.service-url", endpoints.serviceUrl(),
                    "autoglm.pulsar.namespace", topics.namespace(),
                    "autoglm.dispatcher.triggers", triggers.toString(),
                    "autoglm.dispatcher.namespace", "fleet",
                    "autoglm.dispatcher.subscribers.heartbeat", subscriber.uri().toString(),
                    "autoglm.dispatcher.topic-discovery", "1s",
                    "autoglm.dispatcher.admin-url", endpoints.adminUrl(),
                    "autoglm.dispatcher.backlog-interval", "1s");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A port nothing listens on: the gone Trigger's subscriber cannot be connected to. */
    private static int closedPort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static CloudEvent reply(CloudEvent heartbeat) {
        return FleetEvents.statusChanged(io.autoglm.fleet.events.Events.tenant(heartbeat),
                io.autoglm.fleet.events.Events.partitionKey(heartbeat), FleetEvents.seq(heartbeat));
    }

    @Override
    public void stop() {
        if (subscriber != null) {
            subscriber.close();
        }
        if (vertx != null) {
            vertx.close();
        }
    }
}
