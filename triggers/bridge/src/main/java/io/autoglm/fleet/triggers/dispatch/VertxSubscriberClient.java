package io.autoglm.fleet.triggers.dispatch;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link SubscriberClient} on Vert.x's HTTP/1.1 client: keep-alive connections, at most
 * {@code concurrency} requests in flight (the rest queue), and an attempt fails when the subscriber
 * sends nothing for {@code timeout}. Each event is its own request; with HTTP/1.1 pipelining
 * ({@code pipelining} > 1) up to that many requests share a connection, written and answered in
 * batches (fewer system calls on both ends), on {@code concurrency / pipelining} connections. A
 * subscriber serves one connection's requests one after the other, so pipelining suits quick
 * subscribers; a slow one wants one request per connection. Requests start on one event
 * loop per core in turn (a request made on an event loop stays there, with its device's next ones),
 * so the dispatcher uses every core rather than the one its first request happened to land on.
 */
public final class VertxSubscriberClient implements SubscriberClient {

    private final HttpClient client;
    private final Context[] loops;
    private final AtomicInteger next = new AtomicInteger();

    public VertxSubscriberClient(Vertx vertx, int concurrency, Duration connectTimeout) {
        this(vertx, concurrency, 1, connectTimeout);
    }

    /**
     * @param concurrency most requests in flight at once
     * @param pipelining  most requests in flight on one connection; 1: no pipelining
     */
    public VertxSubscriberClient(Vertx vertx, int concurrency, int pipelining, Duration connectTimeout) {
        if (concurrency < 1 || pipelining < 1) {
            throw new IllegalArgumentException("concurrency and pipelining must be >= 1");
        }
        int cores = Runtime.getRuntime().availableProcessors();
        int perConnection = perConnection(concurrency, pipelining);
        this.client = vertx.createHttpClient(new HttpClientOptions()
                        .setKeepAlive(true)
                        .setTcpNoDelay(true)
                        .setPipelining(perConnection > 1)
                        .setPipeliningLimit(perConnection)
                        .setConnectTimeout((int) connectTimeout.toMillis())
                        .setDecompressionSupported(false),
                new PoolOptions().setHttp1MaxSize(connections(concurrency, pipelining)).setEventLoopSize(cores));
        this.loops = eventLoops(vertx, cores);
    }

    /** Requests in flight on one connection: the pipelining limit, never above the concurrency. */
    static int perConnection(int concurrency, int pipelining) {
        return Math.min(concurrency, pipelining);
    }

    /** Connections to open so that connections x requests per connection stays within the concurrency. */
    static int connections(int concurrency, int pipelining) {
        return Math.max(1, concurrency / perConnection(concurrency, pipelining));
    }

    /** One context per event loop: outside any Vert.x thread, each {@code getOrCreateContext()} takes the next loop. */
    private static Context[] eventLoops(Vertx vertx, int count) {
        Context[] loops = new Context[count];
        Thread creator = new Thread(() -> {
            for (int i = 0; i < count; i++) {
                loops[i] = vertx.getOrCreateContext();
            }
        }, "subscriber-client-contexts");
        creator.start();
        try {
            creator.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return loops;
    }

    @Override
    public CompletableFuture<SubscriberResponse> post(URI target, OutboundEvent event, Duration timeout) {
        if (Context.isOnEventLoopThread()) {
            return send(target, event, timeout);
        }
        CompletableFuture<SubscriberResponse> answer = new CompletableFuture<>();
        loops[Math.floorMod(next.getAndIncrement(), loops.length)].runOnContext(start -> send(target, event, timeout).whenComplete((response, failure) -> {
            if (failure != null) {
                answer.completeExceptionally(failure);
            } else {
                answer.complete(response);
            }
        }));
        return answer;
    }

    private CompletableFuture<SubscriberResponse> send(URI target, OutboundEvent event, Duration timeout) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(target.getHost())
                .setPort(target.getPort() > 0 ? target.getPort() : "https".equals(target.getScheme()) ? 443 : 80)
                .setSsl("https".equals(target.getScheme()))
                .setURI(target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath()
                        + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery()))
                .setIdleTimeout(timeout.toMillis());
        return client.request(options)
                .compose(request -> {
                    // straight into the request's headers: no intermediate map copied across
                    for (Map.Entry<String, String> header : event.headers()) {
                        request.putHeader(header.getKey(), header.getValue());
                    }
                    return request.send(Buffer.buffer(event.body()));
                })
                .compose(response -> response.body().map(body -> {
                    List<Map.Entry<String, String>> answered = new ArrayList<>(response.headers().size());
                    response.headers().forEach(header -> answered.add(Map.entry(header.getKey(), header.getValue())));
                    return new SubscriberResponse(response.statusCode(), answered, body.getBytes());
                }))
                .toCompletionStage().toCompletableFuture();
    }

    @Override
    public void close() {
        client.close();
    }
}
