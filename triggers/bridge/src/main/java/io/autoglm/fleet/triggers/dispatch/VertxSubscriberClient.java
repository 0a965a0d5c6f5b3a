package io.autoglm.fleet.triggers.dispatch;

import io.vertx.core.MultiMap;
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
import java.util.concurrent.TimeUnit;

/**
 * {@link SubscriberClient} on Vert.x's HTTP/1.1 client: keep-alive connections, at most
 * {@code concurrency} of them (so at most that many requests in flight; the rest queue), and a
 * timeout on the whole exchange.
 */
public final class VertxSubscriberClient implements SubscriberClient {

    private final HttpClient client;

    public VertxSubscriberClient(Vertx vertx, int concurrency, Duration connectTimeout) {
        this.client = vertx.createHttpClient(new HttpClientOptions()
                        .setKeepAlive(true)
                        .setTcpNoDelay(true)
                        .setConnectTimeout((int) connectTimeout.toMillis())
                        .setDecompressionSupported(false),
                new PoolOptions().setHttp1MaxSize(concurrency));
    }

    @Override
    public CompletableFuture<SubscriberResponse> post(URI target, OutboundEvent event, Duration timeout) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        event.headers().forEach(header -> headers.add(header.getKey(), header.getValue()));
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(target.toString())
                .setHeaders(headers)
                .setIdleTimeout(timeout.toMillis());
        return client.request(options)
                .compose(request -> request.send(Buffer.buffer(event.body())))
                .compose(response -> response.body().map(body -> {
                    List<Map.Entry<String, String>> answered = new ArrayList<>(response.headers().size());
                    response.headers().forEach(header -> answered.add(Map.entry(header.getKey(), header.getValue())));
                    return new SubscriberResponse(response.statusCode(), answered, body.getBytes());
                }))
                .toCompletionStage().toCompletableFuture()
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        client.close();
    }
}
