package io.autoglm.fleet.functions.inference;

import io.autoglm.fleet.modelstore.SeedModel;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * A model with a tiny queue (2 waiting, batches of 1) flooded by 24 concurrent callers: the excess is
 * refused at once with 429 and Retry-After, the rest answered; nothing hangs, nothing is a 500.
 */
@QuarkusTest
@QuarkusTestResource(value = SeededStore.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "maxQueueSize", value = "2"),
        @ResourceArg(name = "maxBatchSize", value = "1"),
        @ResourceArg(name = "maxQueueDelayMs", value = "0")})
class CapacityIT {

    @Test
    void aFullQueueRefusesWith429AndNeverHangs() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (given().get("/q/health/ready").statusCode() != 200) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(20);
        }
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        Response[] refusal = new Response[1];
        ExecutorService callers = Executors.newFixedThreadPool(24);
        try {
            List<Future<?>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 24 * 8; i++) {
                calls.add(callers.submit(() -> {
                    Response response = InferenceRequests.post(InferenceRequests.texts(SeedModel.NAME,
                            List.of("a sentence long enough to keep the model busy for a little while, again and again")));
                    statuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                    if (response.statusCode() == 429) {
                        refusal[0] = response;
                    }
                }));
            }
            for (Future<?> call : calls) {
                call.get(60, TimeUnit.SECONDS);
            }
        } finally {
            callers.shutdownNow();
        }

        assertThat(statuses).containsOnlyKeys(200, 429);
        assertThat(statuses.get(429).get()).isPositive();
        assertThat(statuses.get(200).get()).isPositive();
        refusal[0].then().contentType("application/problem+json").header("Retry-After", "1")
                .body("reason", equalTo("CAPACITY"))
                .body("detail", equalTo("all-minilm-l6-v2@1 has 2 requests waiting, its limit; retry later"));
    }
}
