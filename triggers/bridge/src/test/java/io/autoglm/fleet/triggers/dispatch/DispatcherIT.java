package io.autoglm.fleet.triggers.dispatch;

import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.Extensions;
import io.autoglm.fleet.events.pulsar.PulsarEventPublisher;
import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.events.EventFamily;
import io.autoglm.fleet.events.testing.PulsarEndpoints;
import io.autoglm.fleet.events.testing.RealPulsarExtension;
import io.autoglm.fleet.triggers.ingress.EventIngress;
import io.autoglm.fleet.triggers.knative.Destination;
import io.autoglm.fleet.triggers.knative.Trigger;
import io.autoglm.fleet.triggers.knative.TriggerObjects;
import io.autoglm.fleet.triggers.testing.FleetEvents;
import io.autoglm.fleet.triggers.testing.SubscriberStub;
import io.autoglm.fleet.triggers.testing.SubscriberStub.Answer;
import io.autoglm.fleet.triggers.testing.TestNamespaces;
import io.autoglm.fleet.triggers.testing.TopicReader;
import io.autoglm.fleet.triggers.replay.DeadLetterReplay;
import io.autoglm.fleet.triggers.replay.ReplayFilter;
import io.autoglm.fleet.triggers.replay.ReplayResult;
import io.cloudevents.CloudEvent;
import io.vertx.core.Vertx;
import org.apache.pulsar.client.api.PulsarClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The dispatcher against the real broker and a real HTTP subscriber. */
@ExtendWith(RealPulsarExtension.class)
class DispatcherIT {

    private static Vertx vertx;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private PulsarClient client;
    private Topics topics;
    private EventIngress ingress;

    @BeforeAll
    static void vertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void closeVertx() {
        vertx.close();
    }

    @BeforeEach
    void namespace(PulsarClient client, PulsarEndpoints endpoints) {
        this.client = client;
        this.topics = TestNamespaces.create(endpoints, "dispatcher-it");
        PulsarEventPublisher publisher = new PulsarEventPublisher(client, topics, builder -> builder.sendTimeout(10, TimeUnit.SECONDS));
        closing.add(publisher);
        this.ingress = new EventIngress(topics, publisher, null, Duration.ofSeconds(10));
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    /** A short pause: an unreachable subscriber's events go to the dead letters after a second. */
    private static final DeliveryPause.Bounds SHORT_PAUSE = new DeliveryPause.Bounds(Duration.ofMillis(100), Duration.ofMillis(200),
            Duration.ofSeconds(1));

    private Dispatcher dispatcher(String yaml, Map<String, URI> subscribers) throws Exception {
        return dispatcher(yaml, subscribers, SHORT_PAUSE);
    }

    private Dispatcher dispatcher(String yaml, Map<String, URI> subscribers, DeliveryPause.Bounds pause) throws Exception {
        List<Trigger> triggers = new TriggerObjects("it", Optional.empty()).parse(Map.of("triggers.yaml", yaml));
        SubscriptionSettings settings = new SubscriptionSettings(8, 200, Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMillis(200),
                pause);
        Dispatcher dispatcher = Dispatcher.start(client, topics, triggers, Destination.Addresses.clusterLocal(subscribers),
                trigger -> new HttpSubscriberClient(vertx, settings.concurrency(), Duration.ofSeconds(1)), ingress, settings)
                .get(30, TimeUnit.SECONDS);
        closing.add(dispatcher);
        return dispatcher;
    }

    private SubscriberStub subscriber(SubscriberStub.Behaviour behaviour) {
        SubscriberStub stub = SubscriberStub.start(vertx, behaviour);
        closing.add(stub);
        return stub;
    }

    private void publish(CloudEvent... events) {
        CompletableFuture.allOf(java.util.Arrays.stream(events).map(event -> ingress.publish(event, null))
                .toArray(CompletableFuture[]::new)).join();
    }

    private static String trigger(String name, String filters, String delivery) {
        return """
                apiVersion: eventing.knative.dev/v1
                kind: Trigger
                metadata: {name: %s}
                spec:
                  broker: fleet
                  filters: %s
                  subscriber:
                    ref: {apiVersion: serving.knative.dev/v1, kind: Service, name: %s}
                  delivery: %s
                ---
                """.formatted(name, filters, name, delivery);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void deliversTheMatchingEventsInBinaryModeAndWritesRepliesToTheRequestsTenant() throws Exception {
        // the subscriber claims another tenant in its reply: the dispatcher stamps the request's tenant
        SubscriberStub heartbeat = subscriber((event, attempt) -> Answer.reply(
                FleetEvents.statusChanged("mallory", Events.partitionKey(event), FleetEvents.seq(event))));
        dispatcher(trigger("heartbeat", "[{exact: {type: io.autoglm.device.heartbeat}}]", "{}"),
                Map.of("heartbeat", heartbeat.uri()));

        publish(FleetEvents.heartbeat("acme", "d1", 1), FleetEvents.registration("acme", "d1"),
                FleetEvents.heartbeat("globex", "d2", 1), FleetEvents.heartbeat("acme", "d1", 2));

        await("3 heartbeats", () -> heartbeat.accepted().size() >= 3);
        assertThat(heartbeat.received()).extracting(r -> r.event().getId()).containsExactlyInAnyOrder("d1-1", "d1-2", "d2-1");
        assertThat(heartbeat.received()).allSatisfy(request -> {
            assertThat(request.headers()).containsKeys("ce-id", "ce-type", "ce-source", "ce-specversion", "ce-tenant", "ce-partitionkey");
            assertThat(request.headers().get("content-type")).isEqualTo("application/json");
        });

        List<CloudEvent> acmeReplies = TopicReader.events(client, topics.events("acme", EventFamily.LIVENESS), e -> e.size() >= 2, Duration.ofSeconds(20));
        assertThat(acmeReplies).extracting(CloudEvent::getId).containsExactlyInAnyOrder("status-d1-1", "status-d1-2");
        assertThat(acmeReplies).allSatisfy(reply -> assertThat(Events.tenant(reply)).isEqualTo("acme"));
        List<CloudEvent> globexReplies = TopicReader.events(client, topics.events("globex", EventFamily.LIVENESS), e -> !e.isEmpty(), Duration.ofSeconds(20));
        assertThat(globexReplies).singleElement().satisfies(reply -> assertThat(Events.tenant(reply)).isEqualTo("globex"));
        assertThat(TopicReader.settled(client, topics.events("mallory", EventFamily.LIVENESS), Duration.ofMillis(500))).isEmpty();
    }

    @Test
    void retriesWithTheTriggersBackoffUntilTheSubscriberTakesTheEvent() throws Exception {
        SubscriberStub flaky = subscriber((event, attempt) -> attempt < 3 ? Answer.status(503) : Answer.ok());
        Dispatcher dispatcher = dispatcher(trigger("flaky", "[{exact: {type: io.autoglm.device.heartbeat}}]",
                "{retry: 3, backoffPolicy: linear, backoffDelay: PT0.3S}"), Map.of("flaky", flaky.uri()));

        publish(FleetEvents.heartbeat("acme", "d1", 1));

        await("the third attempt", () -> flaky.accepted().size() == 1);
        List<SubscriberStub.Received> attempts = flaky.received();
        assertThat(attempts).extracting(SubscriberStub.Received::attempt).containsExactly(1, 2, 3);
        assertThat(Duration.between(attempts.get(0).at(), attempts.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(280));
        assertThat(Duration.between(attempts.get(1).at(), attempts.get(2).at())).isGreaterThanOrEqualTo(Duration.ofMillis(580));
        await("the acknowledgement", () -> dispatcher.totals().delivered() == 1);
        assertThat(dispatcher.totals().retries()).isEqualTo(2);
        assertThat(TopicReader.settled(client, topics.deadLetters("acme"), Duration.ofMillis(500))).isEmpty();
    }

    @Test
    void clientErrorsAreDeadLetteredAtOnceAndOtherFailuresAfterTheLastRetry() throws Exception {
        SubscriberStub picky = subscriber((event, attempt) -> event.getId().equals("d1-1") ? Answer.status(422) : Answer.status(500));
        URI closedPort = URI.create("http://127.0.0.1:" + freePort() + "/");
        dispatcher(trigger("picky", "[{exact: {type: io.autoglm.device.heartbeat}}, {exact: {tenant: acme}}]",
                        "{retry: 2, backoffPolicy: exponential, backoffDelay: PT0.05S}")
                        + trigger("gone", "[{exact: {type: io.autoglm.device.heartbeat}}, {exact: {tenant: globex}}]",
                        "{retry: 1, backoffDelay: PT0.05S}"),
                Map.of("picky", picky.uri(), "gone", closedPort));

        publish(FleetEvents.heartbeat("acme", "d1", 1), FleetEvents.heartbeat("acme", "d1", 2), FleetEvents.heartbeat("globex", "d9", 1));

        List<CloudEvent> acme = TopicReader.events(client, topics.deadLetters("acme"), e -> e.size() >= 2, Duration.ofSeconds(30));
        Map<String, CloudEvent> letters = new HashMap<>();
        acme.forEach(letter -> letters.put(letter.getId(), letter));
        assertThat(letters.get("d1-1").getExtension(Extensions.DELIVERY_ATTEMPTS)).isEqualTo(1);
        assertThat(letters.get("d1-1").getExtension(Extensions.ERROR_CODE)).isEqualTo(422);
        assertThat((String) letters.get("d1-1").getExtension(Extensions.ERROR_DATA)).isEqualTo("HTTP 422 (not retried)");
        assertThat(letters.get("d1-2").getExtension(Extensions.DELIVERY_ATTEMPTS)).isEqualTo(3);
        assertThat(letters.get("d1-2").getExtension(Extensions.ERROR_CODE)).isEqualTo(500);
        assertThat(letters.get("d1-2").getExtension(Extensions.ERROR_DEST)).isEqualTo(picky.uri().toString().replaceAll("/$", ""));
        assertThat(letters.get("d1-2").getType()).isEqualTo("io.autoglm.device.heartbeat");
        assertThat(Events.partitionKey(letters.get("d1-2"))).isEqualTo("d1");
        assertThat(picky.received()).extracting(r -> r.event().getId()).containsExactly("d1-1", "d1-2", "d1-2", "d1-2");

        List<CloudEvent> globex = TopicReader.events(client, topics.deadLetters("globex"), e -> !e.isEmpty(), Duration.ofSeconds(30));
        assertThat(globex).singleElement().satisfies(letter -> {
            assertThat(letter.getExtension(Extensions.ERROR_CODE)).isNull();
            assertThat((String) letter.getExtension(Extensions.ERROR_DATA)).startsWith("cannot connect")
                    .contains("unreachable for longer than the longest pause (PT1S)").endsWith("(attempt 2 of 2)");
            assertThat(letter.getExtension(Extensions.DELIVERY_ATTEMPTS)).isEqualTo(2);
        });
    }

    @Test
    void anInvalidReplyIsDeadLetteredWithTheReason() throws Exception {
        SubscriberStub sloppy = subscriber((event, attempt) -> Answer.reply(io.cloudevents.core.builder.CloudEventBuilder
                .v1(FleetEvents.statusChanged("acme", "d1", 1)).withExtension(Extensions.TRACEPARENT, "not-a-trace").build()));
        dispatcher(trigger("sloppy", "[{exact: {type: io.autoglm.device.heartbeat}}]", "{}"), Map.of("sloppy", sloppy.uri()));

        publish(FleetEvents.heartbeat("acme", "d1", 1));

        List<CloudEvent> letters = TopicReader.events(client, topics.deadLetters("acme"), e -> !e.isEmpty(), Duration.ofSeconds(30));
        assertThat(letters).singleElement().satisfies(letter -> {
            assertThat(letter.getId()).isEqualTo("d1-1");
            assertThat((String) letter.getExtension(Extensions.ERROR_DATA)).contains("invalid reply event").contains("traceparent must be W3C trace context");
            assertThat(letter.getExtension(Extensions.ERROR_CODE)).isEqualTo(200);
        });
    }

    @Test
    void twoDispatchersKeepEveryDevicesOrderThroughRetries() throws Exception {
        int devices = 20;
        int perDevice = 40;
        SubscriberStub subscriber = subscriber((event, attempt) ->
                attempt == 1 && ThreadLocalRandom.current().nextInt(10) == 0 ? Answer.status(503) : Answer.ok());
        String yaml = trigger("ordered", "[{exact: {type: io.autoglm.device.heartbeat}}]", "{retry: 5, backoffDelay: PT0.02S}");
        Dispatcher first = dispatcher(yaml, Map.of("ordered", subscriber.uri()));
        Dispatcher second = dispatcher(yaml, Map.of("ordered", subscriber.uri()));

        List<CloudEvent> events = new ArrayList<>();
        for (int seq = 1; seq <= perDevice; seq++) {
            for (int device = 0; device < devices; device++) {
                events.add(FleetEvents.heartbeat(device % 2 == 0 ? "acme" : "globex", "dev-" + device, seq));
            }
        }
        publish(events.toArray(CloudEvent[]::new));

        await("every event accepted", () -> subscriber.accepted().size() >= devices * perDevice);
        Map<String, List<Long>> sequences = new HashMap<>();
        subscriber.accepted().forEach(r -> sequences.computeIfAbsent(Events.partitionKey(r.event()), k -> new ArrayList<>())
                .add(FleetEvents.seq(r.event())));
        assertThat(sequences).hasSize(devices);
        sequences.forEach((device, seqs) -> assertThat(seqs).as(device).isSorted().doesNotHaveDuplicates().hasSize(perDevice));
        await("acknowledgements", () -> first.totals().delivered() + second.totals().delivered() == devices * perDevice);
        assertThat(first.totals().delivered()).as("both replicas took a share").isPositive();
        assertThat(second.totals().delivered()).isPositive();
    }

    @Test
    void readsTheTopicsOfTenantsThatAppearAfterItStarted() throws Exception {
        SubscriberStub subscriber = subscriber((event, attempt) -> Answer.ok());
        dispatcher(trigger("late", "[{exact: {type: io.autoglm.device.registration.requested}}]", "{}"), Map.of("late", subscriber.uri()));

        publish(FleetEvents.registration("newcomer", "n1"));

        await("the newcomer's registration", () -> subscriber.accepted().size() == 1);
        assertThat(Events.tenant(subscriber.accepted().get(0).event())).isEqualTo("newcomer");
    }

    @Test
    void anUnreachableSubscriberPausesItsTriggerAndTheEventsWaitInPulsarUntilItIsBack() throws Exception {
        SubscriberStub down = subscriber((event, attempt) -> Answer.ok());
        down.stop();
        Dispatcher dispatcher = dispatcher(trigger("down", "[{exact: {type: io.autoglm.device.heartbeat}}]", "{retry: 1, backoffDelay: PT0.05S}"),
                Map.of("down", down.uri()), new DeliveryPause.Bounds(Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofMinutes(5)));
        List<CloudEvent> events = new ArrayList<>();
        for (int seq = 1; seq <= 10; seq++) {
            for (int device = 0; device < 4; device++) {
                events.add(FleetEvents.heartbeat("acme", "dev-" + device, seq));
            }
        }

        publish(events.toArray(CloudEvent[]::new));

        await("the pause", () -> dispatcher.paused().containsKey("it/down"));
        await("a few probes", () -> dispatcher.paused().get("it/down").probes() >= 4);
        assertThat(dispatcher.paused().get("it/down")).satisfies(pause -> {
            assertThat(pause.reason()).startsWith("cannot connect");
            assertThat(pause.deadLettering()).isFalse();
            assertThat(pause.waiting()).isPositive();
        });
        assertThat(dispatcher.running()).as("a paused subscription is still up").isTrue();
        assertThat(dispatcher.totals().deadLettered()).isZero();
        assertThat(dispatcher.totals().retries()).as("waiting spends no attempt").isZero();

        down.restart();

        await("every event, once the subscriber is back", () -> down.accepted().size() >= events.size());
        assertThat(down.accepted()).extracting(r -> r.event().getId())
                .containsExactlyInAnyOrderElementsOf(events.stream().map(CloudEvent::getId).toList());
        Map<String, List<Long>> sequences = new HashMap<>();
        down.accepted().forEach(r -> sequences.computeIfAbsent(Events.partitionKey(r.event()), k -> new ArrayList<>()).add(FleetEvents.seq(r.event())));
        sequences.forEach((device, seqs) -> assertThat(seqs).as(device).isSorted());
        await("the acknowledgements", () -> dispatcher.totals().delivered() == events.size());
        assertThat(dispatcher.paused()).isEmpty();
        assertThat(TopicReader.settled(client, topics.deadLetters("acme"), Duration.ofMillis(500))).isEmpty();
    }

    @Test
    void deadLettersReplayedOnceTheSubscriberIsBackAreEachProcessedOnceAndOnlyByTheirTrigger() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean broken = new java.util.concurrent.atomic.AtomicBoolean(true);
        // while broken, the subscriber fails device d0's events; then it goes away altogether
        SubscriberStub flaky = subscriber((event, attempt) -> broken.get() && Events.partitionKey(event).equals("d0")
                ? Answer.status(500) : Answer.ok());
        SubscriberStub audit = subscriber((event, attempt) -> Answer.ok());
        String heartbeats = "[{exact: {type: io.autoglm.device.heartbeat}}]";
        Dispatcher dispatcher = dispatcher(trigger("flaky", heartbeats, "{retry: 1, backoffDelay: PT0.05S}")
                + trigger("audit", heartbeats, "{}"), Map.of("flaky", flaky.uri(), "audit", audit.uri()));
        List<CloudEvent> before = new ArrayList<>();
        List<CloudEvent> during = new ArrayList<>();
        for (int seq = 1; seq <= 5; seq++) {
            for (int device = 0; device < 3; device++) {
                before.add(FleetEvents.heartbeat("acme", "d" + device, seq));
                during.add(FleetEvents.heartbeat("acme", "d" + device, 100 + seq));
            }
        }
        publish(before.toArray(CloudEvent[]::new));
        await("d0's events dead-lettered by error answers", () -> dispatcher.stats().get("it/flaky").deadLettered() == 5
                && dispatcher.stats().get("it/flaky").delivered() == 10);
        flaky.stop();
        publish(during.toArray(CloudEvent[]::new));
        await("the outage's events dead-lettered past the longest pause",
                () -> dispatcher.stats().get("it/flaky").deadLettered() == 5 + during.size());
        flaky.restart();
        broken.set(false);
        DeadLetterReplay replay = new DeadLetterReplay(client, topics, ingress);

        ReplayResult other = replay.replay(new ReplayFilter("acme", Optional.of("audit"), Optional.empty(), Optional.empty(), Optional.empty()));
        assertThat(other.replayed()).isZero();
        assertThat(other.skipped()).isEqualTo(20);
        ReplayResult result = replay.replay(ReplayFilter.all("acme"));

        assertThat(result.replayed()).isEqualTo(20);
        assertThat(result.byTrigger()).containsExactly(Map.entry("it/flaky", 20L));
        assertThat(result.unreplayable()).isZero();
        List<String> all = java.util.stream.Stream.concat(before.stream(), during.stream()).map(CloudEvent::getId).toList();
        await("every event processed", () -> flaky.accepted().size() >= all.size());
        await("the replays acknowledged", () -> dispatcher.stats().get("it/flaky").delivered() == all.size());
        assertThat(flaky.accepted()).extracting(r -> r.event().getId()).as("each event processed once").containsExactlyInAnyOrderElementsOf(all);
        assertThat(flaky.accepted()).filteredOn(r -> r.headers().containsKey("ce-replayfor")).hasSize(20)
                .allSatisfy(r -> assertThat(r.headers()).doesNotContainKeys("ce-knativeerrordata", "ce-errortopic", "ce-deliveryattempts"));
        assertThat(replay.replay(ReplayFilter.all("acme")).replayed()).as("a dead letter is replayed once").isZero();
        await("the audit Trigger's events", () -> dispatcher.stats().get("it/audit").received() >= all.size() + 20);
        assertThat(audit.accepted()).extracting(r -> r.event().getId()).as("the other Trigger of the topic gets no replay")
                .containsExactlyInAnyOrderElementsOf(all);
        assertThat(dispatcher.stats().get("it/audit").filteredOut()).isEqualTo(20);
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
