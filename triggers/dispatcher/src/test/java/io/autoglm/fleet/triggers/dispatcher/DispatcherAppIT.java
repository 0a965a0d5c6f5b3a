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
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

/** The dispatcher application as deployed: Trigger file, Pulsar, subscriber, health and stats. */
@QuarkusTest
@QuarkusTestResource(value = DispatcherAppResource.class, restrictToAnnotatedClass = true)
class DispatcherAppIT {

    @Test
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
                .body("totals.deadLettered", equalTo(1));
    }
}
