package io.autoglm.fleet.triggers.sink;

import io.autoglm.fleet.triggers.testing.TestTokens;
import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.events.testing.PulsarEndpoints;
import io.autoglm.fleet.events.testing.SharedPulsarBroker;
import io.autoglm.fleet.triggers.testing.TestNamespaces;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** The sink on the build's real broker, in a namespace of its own, verifying tokens with this run's key. */
public class SinkResource implements QuarkusTestResourceLifecycleManager {

    static volatile PulsarEndpoints endpoints;
    static volatile Topics topics;

    @Override
    public Map<String, String> start() {
        endpoints = SharedPulsarBroker.endpoints();
        topics = TestNamespaces.create(endpoints, "sink");
        return Map.of(
                "autoglm.pulsar.service-url", endpoints.serviceUrl(),
                "autoglm.pulsar.namespace", topics.namespace(),
                "mp.jwt.verify.publickey.location", TestTokens.publicKeyFile().toString(),
                "autoglm.http.max-body-size", "256K");
    }

    @Override
    public void stop() {
    }
}
