package io.autoglm.fleet.triggers.dispatch;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class VertxSubscriberClientTest {

    private final Vertx vertx = Vertx.vertx();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    private final Queue<HttpServerRequest> held = new ConcurrentLinkedQueue<>();
    private final Queue<String> arrived = new ConcurrentLinkedQueue<>();
    private volatile boolean holding = true;

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void pipeliningSpreadsTheConcurrencyOverFewerConnectionsAndNeverExceedsIt() {
        assertThat(VertxSubscriberClient.connections(64, 1)).isEqualTo(64);
        assertThat(VertxSubscriberClient.connections(64, 8)).isEqualTo(8);
        assertThat(VertxSubscriberClient.perConnection(64, 8)).isEqualTo(8);
        assertThat(VertxSubscriberClient.connections(10, 4) * VertxSubscriberClient.perConnection(10, 4)).isEqualTo(8);
        assertThat(VertxSubscriberClient.connections(3, 8)).isEqualTo(1);
        assertThat(VertxSubscriberClient.perConnection(3, 8)).isEqualTo(3);
    }

    @Test
    void withoutPipeliningEachRequestInFlightHasItsOwnConnectionUpToTheConcurrency() throws Exception {
        deliverWhileTheSubscriberHolds(4, 1, 10, 4);
    }

    @Test
    void withPipeliningRequestsShareConnectionsAndEachEventStaysItsOwnRequest() throws Exception {
        // the server reads a connection's next request once it answered the one before: one per connection at a time
        deliverWhileTheSubscriberHolds(8, 4, 20, 2);
    }

    /**
     * Posts {@code events} while the subscriber holds its answers: it sees exactly {@code connections} connections
     * and as many requests at once, and once it answers, every event arrives as its own binary-mode request.
     */
    private void deliverWhileTheSubscriberHolds(int concurrency, int pipelining, int events, int connectionsExpected) throws Exception {
        URI subscriber = subscriber();
        try (VertxSubscriberClient client = new VertxSubscriberClient(vertx, concurrency, pipelining, Duration.ofSeconds(2))) {
            List<CompletableFuture<SubscriberResponse>> answers = post(client, subscriber, events);
            awaitHeld(connectionsExpected);
            Thread.sleep(200); // one more would have arrived by now
            assertThat(connections).hasValue(connectionsExpected);
            assertThat(mostInFlight).hasValue(connectionsExpected);
            release();
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).orTimeout(10, TimeUnit.SECONDS).join();
            assertThat(answers).allMatch(answer -> answer.join().status() == 202);
            assertThat(connections).hasValue(connectionsExpected);
            assertThat(arrived).hasSize(events).doesNotHaveDuplicates().allMatch(line -> line.matches("e\\d+ body-of-e\\d+")
                    && line.split(" ")[1].equals("body-of-" + line.split(" ")[0]));
        }
    }

    private URI subscriber() throws Exception {
        HttpServer server = vertx.createHttpServer()
                .connectionHandler(connection -> connections.incrementAndGet())
                .requestHandler(request -> request.body().onSuccess(body -> {
                    arrived.add(request.getHeader("ce-id") + " " + body.toString(StandardCharsets.UTF_8));
                    mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    if (holding) {
                        held.add(request);
                        if (!holding) { // released meanwhile: release() may have missed this one
                            release();
                        }
                    } else {
                        answer(request);
                    }
                }));
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return URI.create("http://127.0.0.1:" + server.actualPort() + "/");
    }

    private void answer(HttpServerRequest request) {
        inFlight.decrementAndGet();
        request.response().setStatusCode(202).end();
    }

    private void release() {
        holding = false;
        for (HttpServerRequest request = held.poll(); request != null; request = held.poll()) {
            HttpServerRequest answered = request;
            vertx.runOnContext(run -> answer(answered));
        }
    }

    private static List<CompletableFuture<SubscriberResponse>> post(SubscriberClient client, URI subscriber, int count) {
        List<CompletableFuture<SubscriberResponse>> answers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            OutboundEvent event = new OutboundEvent(List.of(Map.entry("ce-specversion", "1.0"), Map.entry("ce-id", "e" + i),
                    Map.entry("ce-type", "t"), Map.entry("ce-source", "/s"), Map.entry("Content-Type", "text/plain")),
                    ("body-of-e" + i).getBytes(StandardCharsets.UTF_8));
            answers.add(client.post(subscriber, event, Duration.ofSeconds(10)));
        }
        return answers;
    }

    private void awaitHeld(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (held.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(held).hasSize(count);
    }
}
