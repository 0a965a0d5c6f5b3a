package io.autoglm.fleet.triggers.dispatch;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpSubscriberClientTest {

    private final Vertx vertx = Vertx.vertx();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    private final Queue<HttpServerRequest> held = new ConcurrentLinkedQueue<>();
    private final Queue<String> arrived = new ConcurrentLinkedQueue<>();
    private volatile boolean holding = true;
    private volatile long delayMillis;

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void withoutPipeliningEachRequestInFlightHasItsOwnConnectionUpToTheConcurrency() throws Exception {
        URI subscriber = subscriber();
        try (HttpSubscriberClient client = new HttpSubscriberClient(vertx, 4, 1, Duration.ofSeconds(2))) {
            warmUp(client, subscriber, 50); // quick answers: still one request per connection
            int before = connections.get();
            deliverWhileTheSubscriberHolds(client, subscriber, 10, 4, Math.max(before, 4));
        }
    }

    @Test
    void aQuickSubscriberGetsPipelinedRequestsOnFewConnectionsAndEachEventStaysItsOwnRequest() throws Exception {
        URI subscriber = subscriber();
        try (HttpSubscriberClient client = new HttpSubscriberClient(vertx, 8, 4, Duration.ofSeconds(2))) {
            warmUp(client, subscriber, 50); // one after the other: a connection per event loop, answered at once
            int before = connections.get();
            assertThat(before).isLessThanOrEqualTo(2);
            // 20 events, 8 at most in flight, 4 on a connection: the subscriber serves each connection's one at a time
            // (answers held this long make it slow, so what comes after them gets fresh connections)
            deliverWhileTheSubscriberHolds(client, subscriber, 20, before, before);
        }
    }

    @Test
    void aSubscriberThatSlowsDownGetsEveryRequestInFlightOnItsOwnConnectionAgain() throws Exception {
        URI subscriber = subscriber();
        try (HttpSubscriberClient client = new HttpSubscriberClient(vertx, 8, 4, Duration.ofSeconds(2))) {
            warmUp(client, subscriber, 50); // quick: pipelined
            delayMillis = 30; // now each answer takes 30 ms, as an inference function's would
            for (int round = 0; round < 4; round++) {
                CompletableFuture.allOf(post(client, subscriber, 8).toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            }
            delayMillis = 0;
            forgetWhatArrived();
            // the whole concurrency reaches the subscriber at once again, one request per connection
            deliverWhileTheSubscriberHolds(client, subscriber, 10, 8, 8);
        }
    }

    @Test
    void requestsPipelinedBehindAnAnswerThatClosesTheConnectionFailRetryablyAndTheNextOnesGoOnAFreshConnection() throws Exception {
        AtomicBoolean closing = new AtomicBoolean();
        Set<HttpConnection> closed = ConcurrentHashMap.newKeySet();
        HttpServer server = vertx.createHttpServer()
                .connectionHandler(connection -> connections.incrementAndGet())
                .requestHandler(request -> request.body().onSuccess(body -> {
                    if (closing.get() && closed.add(request.connection())) {
                        request.response().setStatusCode(202).putHeader("Connection", "close").end();
                    } else {
                        request.response().setStatusCode(202).end();
                    }
                }));
        URI subscriber = listen(server, "/");
        try (HttpSubscriberClient client = new HttpSubscriberClient(vertx, 8, 4, Duration.ofSeconds(2))) {
            for (int i = 0; i < 50; i++) { // quick: pipelined from now on
                assertThat(client.post(subscriber, event("w" + i, "x"), Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS).status()).isEqualTo(202);
            }
            int before = connections.get();
            closing.set(true); // each connection's first answer from now on closes it
            List<CompletableFuture<SubscriberResponse>> answers = post(client, subscriber, 8);
            CompletableFuture.allOf(answers.stream().map(answer -> answer.handle((response, failure) -> null))
                    .toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            List<Throwable> failures = answers.stream().filter(CompletableFuture::isCompletedExceptionally)
                    .map(answer -> answer.handle((response, failure) -> failure).join()).toList();
            assertThat(failures).isNotEmpty().allSatisfy(failure -> assertThat(failure).isInstanceOf(IOException.class)
                    .hasMessageContaining("closed the connection"));
            assertThat(failures).allSatisfy(failure -> assertThat(AttemptOutcome.of(null, failure, Duration.ofSeconds(5)))
                    .isInstanceOfSatisfying(AttemptOutcome.Failed.class, failed -> assertThat(failed.retryable()).isTrue()));
            assertThat(client.post(subscriber, event("e9", "y"), Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS).status()).isEqualTo(202);
            assertThat(connections.get()).isGreaterThan(before);
        }
    }

    /** Answered requests, one after the other: the client learns how quick the subscriber is. */
    private void warmUp(HttpSubscriberClient client, URI subscriber, int count) throws Exception {
        holding = false;
        for (int i = 0; i < count; i++) {
            assertThat(client.post(subscriber, event("w" + i, "warm-up"), Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS).status())
                    .isEqualTo(202);
        }
        forgetWhatArrived();
    }

    private void forgetWhatArrived() {
        arrived.clear();
        mostInFlight.set(0);
        holding = true;
    }

    /**
     * Posts {@code events} while the subscriber holds its answers: it sees {@code atOnce} requests at once (one per
     * connection it serves) over {@code connectionsOpen} connections, and once it answers, every event arrives as its
     * own binary-mode request.
     */
    private void deliverWhileTheSubscriberHolds(HttpSubscriberClient client, URI subscriber, int events, int atOnce, int connectionsOpen)
            throws Exception {
        List<CompletableFuture<SubscriberResponse>> answers = post(client, subscriber, events);
        awaitHeld(atOnce);
        Thread.sleep(200); // one more would have arrived by now
        assertThat(mostInFlight).hasValue(atOnce);
        assertThat(connections).hasValue(connectionsOpen);
        release();
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).orTimeout(10, TimeUnit.SECONDS).join();
        assertThat(answers).allMatch(answer -> answer.join().status() == 202);
        assertThat(arrived).hasSize(events).doesNotHaveDuplicates().allMatch(line -> line.matches("e\\d+ body-of-e\\d+")
                && line.split(" ")[1].equals("body-of-" + line.split(" ")[0]));
    }

    @Test
    void anAnswerKeepsItsStatusHeadersAndBodyChunkedOrNotAndConnectionCloseIsHonoured() throws Exception {
        HttpServer server = vertx.createHttpServer()
                .connectionHandler(connection -> connections.incrementAndGet())
                .requestHandler(request -> request.body().onSuccess(body -> {
                    boolean chunked = request.getHeader("ce-id").endsWith("1");
                    request.response().setStatusCode(200).setChunked(chunked)
                            .putHeader("ce-specversion", "1.0").putHeader("ce-id", "reply-" + request.getHeader("ce-id"))
                            .putHeader("Connection", "close")
                            .end("answer to " + body.toString(StandardCharsets.UTF_8));
                }));
        URI subscriber = listen(server, "/events?x=1");
        try (HttpSubscriberClient client = new HttpSubscriberClient(vertx, 2, Duration.ofSeconds(2))) {
            for (int i = 0; i < 4; i++) {
                SubscriberResponse response = client.post(subscriber, event("e" + i, "body-of-e" + i), Duration.ofSeconds(5))
                        .get(10, TimeUnit.SECONDS);
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.header("CE-ID")).isEqualTo("reply-e" + i);
                assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("answer to body-of-e" + i);
            }
        }
        assertThat(connections).hasValue(4); // each answer closed its connection
    }

    @Test
    void aSubscriberSilentPastTheTimeoutFailsTheAttemptAndTheNextOneGetsAFreshConnection() throws Exception {
        URI subscriber = subscriber();
        try (HttpSubscriberClient client = new HttpSubscriberClient(vertx, 1, Duration.ofSeconds(2))) {
            CompletableFuture<SubscriberResponse> silent = client.post(subscriber, event("e0", "x"), Duration.ofMillis(300));
            assertThatThrownBy(() -> silent.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(TimeoutException.class)
                    .hasMessageContaining("no answer within PT0.3S");
            release();
            assertThat(client.post(subscriber, event("e1", "y"), Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS).status()).isEqualTo(202);
            assertThat(connections).hasValue(2);
        }
    }

    @Test
    void whenAPipelinedRequestTimesOutTheOnesBehindItFailAsNotAnsweredUnlessPastTheirOwnDeadline() throws Exception {
        URI subscriber = subscriber();
        try (HttpSubscriberClient client = new HttpSubscriberClient(vertx, 8, 4, Duration.ofSeconds(2))) {
            warmUp(client, subscriber, 50); // quick: pipelined
            // one request on each of the client's event loops (posts take turns over them), each timing out
            int loops = Math.min(8, Runtime.getRuntime().availableProcessors());
            List<CompletableFuture<SubscriberResponse>> timingOut = new ArrayList<>();
            for (int i = 0; i < loops; i++) {
                timingOut.add(client.post(subscriber, event("e" + i, "x"), Duration.ofMillis(300)));
            }
            // back on the first one's loop, so on its connection, behind it
            CompletableFuture<SubscriberResponse> behind = client.post(subscriber, event("behind", "x"), Duration.ofSeconds(10));
            for (CompletableFuture<SubscriberResponse> answer : timingOut) {
                assertThatThrownBy(() -> answer.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(TimeoutException.class);
            }
            assertThatThrownBy(() -> behind.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class)
                    .hasMessageContaining("the request ahead of it on its connection got no answer within PT0.3S");
        }
    }

    @Test
    void nobodyListeningFailsWithAConnectException() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (HttpSubscriberClient client = new HttpSubscriberClient(vertx, 2, Duration.ofSeconds(2))) {
            CompletableFuture<SubscriberResponse> answer = client.post(URI.create("http://127.0.0.1:" + port + "/"), event("e0", "x"),
                    Duration.ofSeconds(5));
            assertThatThrownBy(() -> answer.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(ConnectException.class);
            assertThat(AttemptOutcome.of(null, answer.handle((r, e) -> e).join(), Duration.ofSeconds(5)))
                    .as("unreachable: the Trigger pauses")
                    .isInstanceOfSatisfying(AttemptOutcome.Unreachable.class, unreachable -> {
                        assertThat(unreachable.reason()).startsWith("cannot connect");
                    });
        }
    }

    @Test
    void aConnectionClosedBeforeTheAnswerFailsTheRequestInFlight() throws Exception {
        HttpServer server = vertx.createHttpServer().requestHandler(request -> request.connection().close());
        URI subscriber = listen(server, "/");
        try (HttpSubscriberClient client = new HttpSubscriberClient(vertx, 2, Duration.ofSeconds(2))) {
            CompletableFuture<SubscriberResponse> answer = client.post(subscriber, event("e0", "x"), Duration.ofSeconds(5));
            assertThatThrownBy(() -> answer.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class);
        }
    }

    @Test
    void aHeaderThatWouldBreakTheRequestFailsOnlyItsOwnEvent() throws Exception {
        holding = false;
        URI subscriber = subscriber();
        try (HttpSubscriberClient client = new HttpSubscriberClient(vertx, 1, Duration.ofSeconds(2))) {
            OutboundEvent smuggling = new OutboundEvent(List.of(Map.entry("ce-id", "e0"), Map.entry("Content-Type", "text/plain\r\nX-Evil: 1")),
                    new byte[0]);
            assertThatThrownBy(() -> client.post(subscriber, smuggling, Duration.ofSeconds(5)).join())
                    .isInstanceOf(CompletionException.class).hasCauseInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Content-Type");
            OutboundEvent badName = new OutboundEvent(List.of(Map.entry("ce id", "e0")), new byte[0]);
            assertThatThrownBy(() -> client.post(subscriber, badName, Duration.ofSeconds(5)).join()).hasCauseInstanceOf(IllegalArgumentException.class);
            assertThat(client.post(subscriber, event("e1", "fine"), Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS).status()).isEqualTo(202);
            assertThat(arrived).containsExactly("e1 fine");
        }
    }

    @Test
    void anAnswerOverTheLimitFailsTheAttempt() throws Exception {
        byte[] huge = new byte[HttpSubscriberClient.MAX_ANSWER_BYTES + 1];
        HttpServer server = vertx.createHttpServer().requestHandler(request -> request.response().setStatusCode(200).end(io.vertx.core.buffer.Buffer.buffer(huge)));
        URI subscriber = listen(server, "/");
        try (HttpSubscriberClient client = new HttpSubscriberClient(vertx, 1, Duration.ofSeconds(2))) {
            CompletableFuture<SubscriberResponse> answer = client.post(subscriber, event("e0", "x"), Duration.ofSeconds(5));
            assertThatThrownBy(() -> answer.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class);
        }
    }

    private URI subscriber() throws Exception {
        HttpServer server = vertx.createHttpServer()
                .connectionHandler(connection -> connections.incrementAndGet())
                .requestHandler(request -> request.body().onSuccess(body -> {
                    arrived.add(request.getHeader("ce-id") + " " + body.toString(StandardCharsets.UTF_8));
                    mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    if (delayMillis > 0) {
                        vertx.setTimer(delayMillis, timer -> answer(request));
                    } else if (holding) {
                        held.add(request);
                        if (!holding) { // released meanwhile: release() may have missed this one
                            release();
                        }
                    } else {
                        answer(request);
                    }
                }));
        return listen(server, "/");
    }

    /** Starts the server on a free loopback port: its URI with {@code path}. */
    private static URI listen(HttpServer server, String path) throws Exception {
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return URI.create("http://127.0.0.1:" + server.actualPort() + path);
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
            answers.add(client.post(subscriber, event("e" + i, "body-of-e" + i), Duration.ofSeconds(10)));
        }
        return answers;
    }

    private static OutboundEvent event(String id, String body) {
        return new OutboundEvent(List.of(Map.entry("ce-specversion", "1.0"), Map.entry("ce-id", id), Map.entry("ce-type", "t"),
                Map.entry("ce-source", "/s"), Map.entry("Content-Type", "text/plain")), body.getBytes(StandardCharsets.UTF_8));
    }

    private void awaitHeld(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (held.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(held).hasSize(count);
    }
}
