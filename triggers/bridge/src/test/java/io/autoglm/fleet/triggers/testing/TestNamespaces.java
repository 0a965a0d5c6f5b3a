package io.autoglm.fleet.triggers.testing;

import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.events.testing.PulsarEndpoints;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

/**
 * A fresh Pulsar namespace per test, made through the admin REST API, so pattern subscriptions over
 * "every tenant's topics" see only the test's own topics.
 */
public final class TestNamespaces {

    private TestNamespaces() {
    }

    /** Creates {@code public/<prefix>-<random>} and returns topic naming in it. */
    public static Topics create(PulsarEndpoints endpoints, String prefix) {
        String namespace = "public/" + prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoints.adminUrl() + "/admin/v2/namespaces/" + namespace))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.noBody()).build();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("creating namespace " + namespace + " answered " + response.statusCode() + ": " + response.body());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return new Topics(namespace);
    }
}
