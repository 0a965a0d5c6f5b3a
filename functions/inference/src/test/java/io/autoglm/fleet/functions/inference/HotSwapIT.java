package io.autoglm.fleet.functions.inference;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.fixtures.HttpForms;
import io.autoglm.fleet.events.model.ModelVersionPromoted;
import io.autoglm.fleet.modelstore.Batching;
import io.autoglm.fleet.modelstore.ModelStore;
import io.autoglm.fleet.modelstore.SeedModel;
import io.autoglm.fleet.modelstore.testing.ModelFixtures;
import io.cloudevents.CloudEvent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

/**
 * Hot swap of the real seed model over real HTTP, under load from concurrent callers: a promotion
 * event makes the function load the new version beside the old and switch; not one request fails.
 * A version whose file does not match its checksum is refused and the old one keeps serving.
 */
@QuarkusTest
@QuarkusTestResource(value = SeededStore.class, restrictToAnnotatedClass = true)
class HotSwapIT {

    @Test
    void promotionsSwapVersionsUnderLoadWithoutAFailedRequest() throws Exception {
        awaitReady();
        AtomicBoolean running = new AtomicBoolean(true);
        Map<Integer, AtomicInteger> answeredBy = new ConcurrentHashMap<>();
        List<String> failures = new CopyOnWriteArrayList<>();
        List<Thread> clients = new java.util.ArrayList<>();
        for (int c = 0; c < 6; c++) {
            int client = c;
            Thread thread = new Thread(() -> {
                while (running.get()) {
                    Response response = InferenceRequests.post(InferenceRequests.texts(SeedModel.NAME, List.of("client " + client + " asks")));
                    if (response.statusCode() == 200) {
                        answeredBy.computeIfAbsent(response.jsonPath().getInt("version"), v -> new AtomicInteger()).incrementAndGet();
                    } else {
                        failures.add(response.statusCode() + " " + response.asString());
                    }
                }
            });
            thread.start();
            clients.add(thread);
        }
        try (ModelStore store = SeededStore.open()) {
            awaitAnswers(answeredBy, 1, 20);
            ModelFixtures.publishSeed(store, SeedModel.NAME, new Batching(16, 3, 256));
            promote(store, 2);
            awaitAnswers(answeredBy, 2, 20);

            // version 3: published, then its model file corrupted in the store
            ModelFixtures.publishSeed(store, SeedModel.NAME, new Batching(16, 3, 256));
            Files.write(SeededStore.root().resolve(SeedModel.NAME + "/3/model.onnx"), new byte[1024]);
            promote(store, 3);
            awaitFailureReported();
            int before = answeredBy.get(2).get();
            awaitAnswers(answeredBy, 2, before + 20);
        } finally {
            running.set(false);
            for (Thread client : clients) {
                client.join(30_000);
            }
        }

        assertThat(failures).as("requests that failed during the swaps").isEmpty();
        assertThat(answeredBy).containsOnlyKeys(1, 2);
        given().get("/q/metrics").then().body(containsString("autoglm_inference_swaps_total{model=\"all-minilm-l6-v2\",outcome=\"failed\"} 1.0"));
    }

    private static void promote(ModelStore store, int version) {
        store.promote(SeedModel.NAME, "stable", version);
        CloudEvent event = Events.newEvent(EventType.MODEL_VERSION_PROMOTED, ModelStore.EVENT_SOURCE, null, SeedModel.NAME,
                new ModelVersionPromoted(SeedModel.NAME, "stable", version, version - 1, store.location(), Instant.now())).build();
        given().headers(HttpForms.binaryHeaders(event)).body(HttpForms.binaryBody(event)).post("/").then().statusCode(204);
    }

    private static void awaitReady() {
        await(() -> given().get("/q/health/ready").statusCode() == 200, "models ready");
    }

    private static void awaitFailureReported() {
        await(() -> given().get("/q/health/ready").asString().contains("all-minilm-l6-v2@3 failed to load"), "the failed swap reported");
        given().get("/q/health/ready").then().statusCode(200)
                .body(containsString("version 2 on cpu"))
                .body(containsString("failed verification: model.onnx has 1024 bytes"))
                .body(containsString("all-minilm-l6-v2@2 on cpu keeps serving"));
    }

    private static void awaitAnswers(Map<Integer, AtomicInteger> answeredBy, int version, int count) {
        await(() -> answeredBy.containsKey(version) && answeredBy.get(version).get() >= count, count + " answers from version " + version);
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within 90 s").isLessThan(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
