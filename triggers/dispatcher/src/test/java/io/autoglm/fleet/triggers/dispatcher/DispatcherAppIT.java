package io.autoglm.fleet.triggers.dispatcher;

import io.autoglm.fleet.events.EventFamily;
import io.autoglm.fleet.events.Extensions;
import io.autoglm.fleet.events.pulsar.PulsarEventPublisher;
import io.autoglm.fleet.triggers.testing.FleetEvents;
import io.autoglm.fleet.triggers.testing.TopicReader;
import io.cloudevents.CloudEvent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.pulsar.client.api.PulsarClient;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

/** The dispatcher application as deployed: Trigger file, Pulsar, subscriber, health and stats. */
@QuarkusTest
@QuarkusTestResource(value = DispatcherAppResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DispatcherAppIT {

    @Test
    @Order(1)
    void runsTheTriggersOfItsBrokerAndReportsTheirCounts() throws Exception {
        try (PulsarClient client = DispatcherAppResource.endpoints.clientBuilder().build();
                PulsarEventPublisher publisher = new PulsarEventPublisher(client, DispatcherAppResource.topics)) {
            publisher.publish(FleetEvents.heartbeat("acme", "d1", 1)).get(10, TimeUnit.SECONDS);
            publisher.publish(FleetEvents.registration("acme", "d1")).get(10, TimeUnit.SECONDS);

            List<CloudEvent> replies = TopicReader.events(client, DispatcherAppResource.topics.events("acme", EventFamily.LIVENESS),
                    events -> !events.isEmpty(), Duration.ofSeconds(30));
            assertThat(replies).extracting(CloudEvent::getId).containsExactly("status-d1-1");
            List<CloudEvent> letters = TopicReader.events(client, DispatcherAppResource.topics.deadLetters("acme"),
                    events -> !events.isEmpty(), Duration.ofSeconds(30));
            assertThat(letters).singleElement().satisfies(letter -> {
                assertThat(letter.getId()).isEqualTo("reg-d1");
                assertThat(letter.getExtension(Extensions.ERROR_CODE)).isEqualTo(422);
            });
        }

        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/stats").then().statusCode(200)
                .body("triggers", hasKey("fleet/heartbeat"))
                .body("triggers", hasKey("fleet/registry"))
                .body("triggers", not(hasKey("fleet/other-broker")))
                .body("totals.replies", equalTo(1))
                .body("totals.deadLettered", equalTo(1))
                .body("paused", anEmptyMap());
        // the same counts, per Trigger, for Prometheus
        assertThat(given().get("/q/metrics").then().statusCode(200).extract().asString())
                .contains("autoglm_dispatcher_received_total{trigger=\"fleet/heartbeat\"} 1.0")
                .contains("autoglm_dispatcher_delivered_total{trigger=\"fleet/heartbeat\"} 1.0")
                .contains("autoglm_dispatcher_replies_total{trigger=\"fleet/heartbeat\"} 1.0")
                .contains("autoglm_dispatcher_dead_letters_total{trigger=\"fleet/registry\"} 1.0")
                .contains("autoglm_dispatcher_delivery_seconds_count{trigger=\"fleet/heartbeat\"} 1.0")
                .contains("autoglm_dispatcher_attempt_seconds_count{trigger=\"fleet/heartbeat\"} 1.0")
                .contains("autoglm_dispatcher_attempt_seconds_count{trigger=\"fleet/registry\"} 1.0")
                .contains("autoglm_dispatcher_delivery_seconds_bucket{trigger=\"fleet/heartbeat\",le=\"30.0\"} 1.0")
                .contains("autoglm_dispatcher_in_flight{trigger=\"fleet/heartbeat\"} 0.0")
                .contains("autoglm_dispatcher_paused{trigger=\"fleet/heartbeat\"} 0.0")
                .doesNotContain("trigger=\"fleet/other-broker\"");
    }

    @Test
    @Order(2)
    void replaysATenantsDeadLettersAndRefusesBadFiltersWithAProblemBody() throws Exception {
        try (PulsarClient client = DispatcherAppResource.endpoints.clientBuilder().build();
                PulsarEventPublisher publisher = new PulsarEventPublisher(client, DispatcherAppResource.topics)) {
            publisher.publish(FleetEvents.registration("initech", "i1")).get(10, TimeUnit.SECONDS);
            TopicReader.events(client, DispatcherAppResource.topics.deadLetters("initech"), events -> !events.isEmpty(), Duration.ofSeconds(30));

            given().post("/dead-letters/replay?trigger=registry&since=yesterday").then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("title", equalTo("Invalid replay filter"))
                    .body("problems.message", hasItems("'tenant' is required: whose dead letters to replay",
                            "'since' must be an ISO-8601 time with its offset (e.g. 2026-12-03T10:00:00Z), got 'yesterday'"));

            given().post("/dead-letters/replay?tenant=initech&trigger=registry&type=io.autoglm.device.registration.requested").then()
                    .statusCode(200)
                    .body("replayed", equalTo(1))
                    .body("skipped", equalTo(0))
                    .body("byTrigger.'fleet/registry'", equalTo(1));

            // the subscriber refuses it again (422): a second dead letter, and the first is not replayed twice
            List<CloudEvent> letters = TopicReader.events(client, DispatcherAppResource.topics.deadLetters("initech"),
                    events -> events.size() >= 2, Duration.ofSeconds(30));
            assertThat(letters).extracting(CloudEvent::getId).containsExactly("reg-i1", "reg-i1");
            assertThat(letters.get(1).getExtension(Extensions.ERROR_TRIGGER)).isEqualTo("fleet/registry");
            given().post("/dead-letters/replay?tenant=initech").then().statusCode(200).body("replayed", equalTo(1));
        }
    }

    @Test
    @Order(3)
    void aTriggerWhoseSubscriberIsUnreachableIsPausedAndShownInReadinessAndStats() throws Exception {
        try (PulsarClient client = DispatcherAppResource.endpoints.clientBuilder().build();
                PulsarEventPublisher publisher = new PulsarEventPublisher(client, DispatcherAppResource.topics)) {
            publisher.publish(FleetEvents.heartbeat("globex", "g1", 1)).get(10, TimeUnit.SECONDS);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (given().get("/q/health/ready").statusCode() == 200) {
            assertThat(System.nanoTime()).as("readiness going down").isLessThan(deadline);
            Thread.sleep(100);
        }
        given().get("/q/health/ready").then().statusCode(503)
                .body("checks[0].data.'paused.fleet/gone'", startsWith("since "))
                .body("checks[0].data.'paused.fleet/gone'", containsString("cannot connect"));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/stats").then().statusCode(200)
                .body("paused.'fleet/gone'.reason", startsWith("cannot connect"))
                .body("paused.'fleet/gone'.since", notNullValue())
                .body("paused.'fleet/gone'.deadLettering", equalTo(false))
                .body("paused", not(hasKey("fleet/heartbeat")))
                .body("triggers.'fleet/gone'.deadLettered", equalTo(0));
        assertThat(given().get("/q/metrics").then().statusCode(200).extract().asString())
                .contains("autoglm_dispatcher_paused{trigger=\"fleet/gone\"} 1.0")
                .contains("autoglm_dispatcher_in_flight{trigger=\"fleet/gone\"} 1.0");
        // the held event is in the subscription's backlog, as the broker counts it; the heartbeat Trigger's is drained
        long backlogDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!given().get("/q/metrics").then().extract().asString().contains("autoglm_dispatcher_backlog{trigger=\"fleet/gone\"} 1.0")) {
            assertThat(System.nanoTime()).as("the backlog read from the broker").isLessThan(backlogDeadline);
            Thread.sleep(200);
        }
        assertThat(given().get("/q/metrics").then().extract().asString()).contains("autoglm_dispatcher_backlog{trigger=\"fleet/heartbeat\"} 0.0");
    }
}
