package io.autoglm.fleet.triggers.reliability;

import io.autoglm.fleet.events.EventFamily;
import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.events.testing.PulsarEndpoints;
import io.autoglm.fleet.pulsar.local.PulsarStandalone;
import io.autoglm.fleet.triggers.testing.SubscriberStub;
import io.autoglm.fleet.triggers.testing.TestNamespaces;
import io.autoglm.fleet.triggers.testing.TopicReader;
import io.cloudevents.CloudEvent;
import io.vertx.core.Vertx;
import org.apache.pulsar.client.api.PulsarClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bridge's promise on a real broker, with the built sink and dispatcher running as processes:
 * every event the sink accepted (202) is either processed by its subscriber (2xx) or in the tenant's
 * dead-letter topic, through (a) the dispatcher killed with {@code kill -9} and started again and the
 * subscriber going away and coming back, mid-stream, and (b) a broker restart. The subscriber refuses
 * one event in 25 with a 422, so both outcomes occur; at-least-once, so duplicates are allowed and counted.
 * And (c): the subscriber away for longer than the dispatcher's longest pause, its events dead-lettered,
 * then replayed over HTTP once it is back: every event is processed, each once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeliveryGuaranteeIT {

    private static final Path WORK = BridgeApp.REPO.resolve("triggers/reliability/target/delivery-guarantee");
    private static final String TENANT = "acme";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static PulsarStandalone broker;
    private static Vertx vertx;

    @BeforeAll
    static void broker() throws Exception {
        PulsarStandalone.deleteTree(WORK);
        Path distribution = Path.of(System.getProperty("pulsar.distribution.dir", "target/pulsar-dist/missing"));
        // a broker of its own: this test restarts it
        broker = PulsarStandalone.in(distribution, WORK.resolve("broker"));
        broker.start(Duration.ofMinutes(3));
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        if (vertx != null) {
            vertx.close();
        }
        if (broker != null) {
            broker.stop();
        }
    }

    /** The subscriber refuses these for good (422): they must end up as dead letters, the others processed. */
    private static boolean refused(String id) {
        return Math.floorMod(id.hashCode(), 25) == 0;
    }

    @Test
    @Order(1)
    void nothingAcceptedIsLostWhenTheDispatcherIsKilledAndTheSubscriberGoesAwayMidStream() throws Exception {
        try (Scenario scenario = new Scenario("crashes")) {
            scenario.sendFor(Duration.ofSeconds(3));
            scenario.dispatcher.kill();
            scenario.sendFor(Duration.ofSeconds(2));
            scenario.dispatcher.start();
            scenario.sendFor(Duration.ofSeconds(3));
            scenario.subscriber.stop();
            scenario.sendFor(Duration.ofSeconds(3));
            scenario.subscriber.restart();
            scenario.sendFor(Duration.ofSeconds(3));
            scenario.verify();
        }
    }

    @Test
    @Order(2)
    void nothingAcceptedIsLostWhenTheBrokerRestarts() throws Exception {
        try (Scenario scenario = new Scenario("restart")) {
            scenario.sendFor(Duration.ofSeconds(5));
            broker.restart(Duration.ofMinutes(3));
            int beforeRecovery = scenario.sender.accepted().size();
            scenario.awaitAccepted(beforeRecovery + 20, Duration.ofMinutes(1));
            scenario.sendFor(Duration.ofSeconds(5));
            scenario.verify();
            assertThat(scenario.sender.notAccepted()).as("the sink refused what it could not write while the broker was down")
                    .isNotEmpty();
        }
    }

    @Test
    @Order(3)
    void theDeadLettersOfAnOutageLongerThanTheLongestPauseAreEachProcessedOnceAfterTheyAreReplayed() throws Exception {
        try (Scenario scenario = new Scenario("replay", id -> false, "{retry: 1, backoffDelay: PT0.1S, timeout: PT2S}",
                Map.of("autoglm.dispatcher.max-pause", "2s", "autoglm.dispatcher.probe-interval", "200ms"))) {
            scenario.sendFor(Duration.ofSeconds(2));
            scenario.subscriber.stop();
            scenario.sendFor(Duration.ofSeconds(5));
            String paused = scenario.get("/stats");
            scenario.sendFor(Duration.ofSeconds(1));
            scenario.sender.stop();
            scenario.sending.join();
            Set<String> accepted = scenario.sender.accepted();
            try (PulsarClient client = PulsarClient.builder().serviceUrl(broker.serviceUrl()).build()) {
                // everything sent while the subscriber was away, and the pause was over, is a dead letter
                TopicReader.events(client, scenario.topics.deadLetters(TENANT), letters -> letters.size() + scenario.processed().size()
                        >= accepted.size(), Duration.ofMinutes(1));
            }
            scenario.subscriber.restart();

            HttpResponse<String> replay = scenario.post("/dead-letters/replay?tenant=" + TENANT + "&trigger=heartbeat");

            assertThat(paused).as("/stats while the subscriber was away").contains("\"paused\":{\"default/heartbeat\"")
                    .contains("\"deadLettering\":true");
            assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
            assertThat(replay.body()).contains("\"byTrigger\":{\"default/heartbeat\"");
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (!scenario.processed().containsAll(accepted) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            List<String> deliveries = scenario.subscriber.accepted().stream().map(received -> received.event().getId()).toList();
            System.out.printf("%s: %d accepted by the sink, %d deliveries, replay: %s%n", scenario.topics.namespace(), accepted.size(),
                    deliveries.size(), replay.body());
            assertThat(accepted).as("events the sink accepted").hasSizeGreaterThan(100);
            assertThat(deliveries).as("every accepted event processed, each once").containsExactlyInAnyOrderElementsOf(accepted);
            assertThat(scenario.post("/dead-letters/replay?tenant=" + TENANT).body()).contains("\"replayed\":0");
        }
    }

    /** One run: a namespace, the subscriber, the sink and dispatcher processes, and a sender thread. */
    private static final class Scenario implements AutoCloseable {
        final Topics topics;
        final SubscriberStub subscriber;
        final BridgeApp sink;
        final BridgeApp dispatcher;
        final HeartbeatSender sender;
        final Thread sending;

        Scenario(String name) throws Exception {
            this(name, DeliveryGuaranteeIT::refused, """
                    {retry: 12, backoffPolicy: exponential, backoffDelay: PT0.1S, timeout: PT2S,
                      deadLetterSink: {ref: {apiVersion: serving.knative.dev/v1, kind: Service, name: ingress-sink}, uri: /dead-letters}}""",
                    Map.of());
        }

        /**
         * @param refusing which events the subscriber refuses (422)
         * @param delivery the Trigger's delivery spec, in flow style
         * @param settings more dispatcher settings
         */
        Scenario(String name, java.util.function.Predicate<String> refusing, String delivery, Map<String, String> settings) throws Exception {
            PulsarEndpoints endpoints = new PulsarEndpoints(broker.serviceUrl(), broker.adminUrl(), PulsarEndpoints.Origin.EXTERNAL);
            topics = TestNamespaces.create(endpoints, name);
            subscriber = SubscriberStub.start(vertx, (event, attempt) ->
                    refusing.test(event.getId()) ? SubscriberStub.Answer.status(422) : SubscriberStub.Answer.ok());
            Path triggers = WORK.resolve(name).resolve("triggers.yaml");
            Files.createDirectories(triggers.getParent());
            Files.writeString(triggers, """
                    apiVersion: eventing.knative.dev/v1
                    kind: Trigger
                    metadata: {name: heartbeat}
                    spec:
                      broker: fleet
                      filters: [{exact: {type: io.autoglm.device.heartbeat}}]
                      subscriber: {ref: {apiVersion: serving.knative.dev/v1, kind: Service, name: heartbeat}}
                      delivery: %s
                    """.formatted(delivery.replace("\n", " ")));
            sink = BridgeApp.sink(broker.serviceUrl(), topics.namespace(), WORK.resolve(name)).start();
            dispatcher = BridgeApp.dispatcher(broker.serviceUrl(), topics.namespace(), triggers,
                    Map.of("heartbeat", subscriber.uri()), settings, WORK.resolve(name)).start();
            sender = new HeartbeatSender(URI.create(sink.url() + "/"), TENANT, 20, Duration.ofMillis(5));
            sending = new Thread(sender, "sender-" + name);
            sending.start();
        }

        void sendFor(Duration duration) throws InterruptedException {
            Thread.sleep(duration.toMillis());
        }

        /** Waits until the sink has accepted {@code count} events in all: it writes to Pulsar again. */
        void awaitAccepted(int count, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (sender.accepted().size() < count) {
                assertThat(System.nanoTime()).as("the sink accepting events again").isLessThan(deadline);
                Thread.sleep(200);
            }
        }

        void verify() throws Exception {
            sender.stop();
            sending.join();
            Set<String> accepted = sender.accepted();
            assertThat(accepted).as("events the sink accepted").hasSizeGreaterThan(100);
            Set<String> owed = accepted.stream().filter(id -> !refused(id)).collect(Collectors.toSet());
            Set<String> refusedOnes = accepted.stream().filter(DeliveryGuaranteeIT::refused).collect(Collectors.toSet());
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            Set<String> processed = processed();
            while (!processed.containsAll(owed) && System.nanoTime() < deadline) {
                Thread.sleep(500);
                processed = processed();
            }
            List<CloudEvent> letters;
            try (PulsarClient client = PulsarClient.builder().serviceUrl(broker.serviceUrl()).build()) {
                TopicReader.events(client, topics.deadLetters(TENANT),
                        events -> events.stream().map(CloudEvent::getId).collect(Collectors.toSet()).containsAll(refusedOnes),
                        Duration.ofMinutes(1));
                letters = TopicReader.settled(client, topics.deadLetters(TENANT), Duration.ofSeconds(2));
            }
            Set<String> dead = letters.stream().map(CloudEvent::getId).collect(Collectors.toSet());
            Set<String> lost = new HashSet<>(accepted);
            lost.removeAll(processed);
            lost.removeAll(dead);
            long deliveries = subscriber.accepted().size();
            System.out.printf("%s: %d accepted by the sink (%s not accepted), %d processed (%d deliveries, %d duplicates), "
                            + "%d dead letters, %d lost%n", topics.namespace(), accepted.size(), sender.notAccepted(), processed.size(),
                    deliveries, deliveries - processed.size(), dead.size(), lost.size());
            if (!lost.isEmpty()) {
                try (PulsarClient client = PulsarClient.builder().serviceUrl(broker.serviceUrl()).build()) {
                    Set<String> inPulsar = TopicReader.settled(client, topics.events(TENANT, EventFamily.HEARTBEAT), Duration.ofSeconds(2))
                            .stream().map(CloudEvent::getId).collect(Collectors.toSet());
                    System.out.printf("lost: %s; of them in the heartbeat topic: %s%n", lost,
                            lost.stream().filter(inPulsar::contains).toList());
                }
            }
            assertThat(lost).as("accepted events neither processed nor dead-lettered").isEmpty();
            assertThat(dead).as("the dead letters are the events the subscriber refused").containsAll(refusedOnes);
            assertThat(letters).allSatisfy(letter -> assertThat(letter.getExtension("knativeerrorcode")).isEqualTo(422));
        }

        HttpResponse<String> post(String path) throws Exception {
            return HTTP.send(HttpRequest.newBuilder(URI.create(dispatcher.url() + path)).POST(HttpRequest.BodyPublishers.noBody())
                    .timeout(Duration.ofMinutes(1)).build(), HttpResponse.BodyHandlers.ofString());
        }

        String get(String path) throws Exception {
            return HTTP.send(HttpRequest.newBuilder(URI.create(dispatcher.url() + path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }

        private Set<String> processed() {
            return subscriber.accepted().stream().map(received -> received.event().getId()).collect(Collectors.toSet());
        }

        @Override
        public void close() {
            sender.stop();
            dispatcher.close();
            sink.close();
            subscriber.close();
        }
    }
}
