package io.autoglm.fleet.triggers.gateway;

import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.events.testing.PulsarEndpoints;
import io.autoglm.fleet.events.testing.SharedPulsarBroker;
import io.autoglm.fleet.triggers.testing.TestNamespaces;
import io.autoglm.fleet.triggers.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The gateway on the build's real broker, in a namespace of its own: enrolment tokens verified with this
 * run's key, device credentials with a test secret, and an HTTPS port whose client certificates are
 * checked against tenant acme's CA, all made for this run.
 */
public class GatewayResource implements QuarkusTestResourceLifecycleManager {

    static final String SECRET = "the device gateway's test secret, 32 bytes at least";
    static final String REPLICA = "gateway-it";

    static volatile PulsarEndpoints endpoints;
    static volatile Topics topics;
    static volatile Path screenshots;
    static volatile int sslPort;
    static final TestCertificates.Issued ACME_CA = TestCertificates.authority("acme-devices");
    static final TestCertificates.Issued GATEWAY_CA = TestCertificates.authority("gateway-ca");

    @Override
    public Map<String, String> start() {
        endpoints = SharedPulsarBroker.endpoints();
        topics = TestNamespaces.create(endpoints, "gateway");
        try {
            Path directory = Files.createTempDirectory("gateway-it");
            screenshots = directory.resolve("screenshots");
            TestCertificates.Issued server = TestCertificates.server(GATEWAY_CA);
            try (ServerSocket socket = new ServerSocket(0)) {
                sslPort = socket.getLocalPort();
            }
            Map<String, String> config = new HashMap<>();
            config.put("autoglm.pulsar.service-url", endpoints.serviceUrl());
            config.put("autoglm.pulsar.namespace", topics.namespace());
            config.put("mp.jwt.verify.publickey.location", TestTokens.publicKeyFile().toString());
            config.put("autoglm.gateway.credentials.secret", SECRET);
            config.put("autoglm.gateway.replica", REPLICA);
            config.put("autoglm.gateway.max-frame-size", "1M");
            config.put("autoglm.gateway.max-event-size", "16K");
            config.put("autoglm.gateway.registration-timeout", "20s");
            config.put("autoglm.gateway.screenshots.store", screenshots.toString());
            config.put("autoglm.gateway.tenant-ca.acme", ACME_CA.certificatePem(directory, "acme-ca").toString());
            config.put("quarkus.tls.key-store.pem.0.cert", server.certificatePem(directory, "server").toString());
            config.put("quarkus.tls.key-store.pem.0.key", server.keyPem(directory, "server").toString());
            config.put("quarkus.http.test-ssl-port", String.valueOf(sslPort));
            config.put("quarkus.http.insecure-requests", "enabled");
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
    }
}
