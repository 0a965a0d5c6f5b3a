package io.autoglm.fleet.triggers.testing;

import io.autoglm.fleet.events.fixtures.HttpForms;
import io.autoglm.fleet.events.validation.EventValidator;
import io.autoglm.fleet.events.validation.HttpEvents;
import io.autoglm.fleet.events.validation.Validation;
import io.cloudevents.CloudEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Trigger subscriber for tests: a real HTTP server (Vert.x) that reads each request as a CloudEvent
 * with the contract's reader, records it, and answers as the test's {@link Behaviour} says,
 * optionally with a reply event in binary mode. It can be stopped and started again on the same port.
 */
public final class SubscriberStub implements AutoCloseable {

    /** How the stub answers the {@code attempt}-th delivery of an event (1 for the first). */
    @FunctionalInterface
    public interface Behaviour {
        Answer answer(CloudEvent event, int attempt);
    }

    /** An HTTP answer, with an optional reply event. */
    public record Answer(int status, CloudEvent reply) {
        public static Answer ok() {
            return new Answer(202, null);
        }

        public static Answer status(int status) {
            return new Answer(status, null);
        }

        public static Answer reply(CloudEvent reply) {
            return new Answer(200, Objects.requireNonNull(reply));
        }
    }

    /** One request the stub took: the event (null when it was not a valid one), headers, when, which attempt, what it answered. */
    public record Received(CloudEvent event, Map<String, String> headers, Instant at, int attempt, int status) {
    }

    private final Vertx vertx;
    private final Behaviour behaviour;
    private final EventValidator validator = EventValidator.standard();
    private final Queue<Received> received = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private volatile HttpServer server;
    private volatile int port;

    private SubscriberStub(Vertx vertx, Behaviour behaviour) {
        this.vertx = vertx;
        this.behaviour = behaviour;
    }

    public static SubscriberStub start(Vertx vertx, Behaviour behaviour) {
        SubscriberStub stub = new SubscriberStub(vertx, behaviour);
        stub.listen(0);
        return stub;
    }

    private void listen(int wantedPort) {
        try {
            server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(wantedPort).setTcpNoDelay(true))
                    .requestHandler(request -> request.body().onSuccess(body -> {
                        Map<String, String> headers = new HashMap<>();
                        request.headers().forEach(header -> headers.put(header.getKey().toLowerCase(), header.getValue()));
                        Validation validation = HttpEvents.read(validator, request.headers(), body.getBytes()).get(0);
                        HttpServerResponse response = request.response();
                        if (!validation.isValid()) {
                            received.add(new Received(null, headers, Instant.now(), 1, 400));
                            response.setStatusCode(400).end(validation.summary());
                            return;
                        }
                        CloudEvent event = validation.event();
                        int attempt = attempts.computeIfAbsent(event.getId(), id -> new AtomicInteger()).incrementAndGet();
                        Answer answer = behaviour.answer(event, attempt);
                        received.add(new Received(event, headers, Instant.now(), attempt, answer.status()));
                        response.setStatusCode(answer.status());
                        if (answer.reply() == null) {
                            response.end();
                        } else {
                            HttpForms.binaryHeaders(answer.reply()).forEach(response::putHeader);
                            response.end(io.vertx.core.buffer.Buffer.buffer(HttpForms.binaryBody(answer.reply())));
                        }
                    }))
                    .listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            port = server.actualPort();
        } catch (Exception e) {
            throw new IllegalStateException("the subscriber stub could not listen", e);
        }
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    public int port() {
        return port;
    }

    /** Every request so far, in arrival order. */
    public List<Received> received() {
        return new ArrayList<>(received);
    }

    /** Requests answered 2xx so far. */
    public List<Received> accepted() {
        return received().stream().filter(r -> r.status() >= 200 && r.status() < 300).toList();
    }

    /** Stops listening: deliveries now fail to connect. */
    public void stop() {
        try {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Listens again on the same port. */
    public void restart() {
        listen(port);
    }

    @Override
    public void close() {
        stop();
    }
}
