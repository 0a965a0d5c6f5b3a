package io.autoglm.fleet.triggers.reliability;

import io.autoglm.fleet.events.pulsar.local.PulsarStandalone;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The cheapest possible subscriber, for the benchmark: reads the request, notes when the event
 * arrived against its {@code ce-time}, answers 202 without a reply. It listens on two event loops,
 * so that what is measured is the dispatcher, not this function.
 */
final class TrivialFunction implements AutoCloseable {

    private final Vertx vertx;
    private final int port;
    private final String deployment;
    private final LongAdder arrivals = new LongAdder();
    private final LatencyLog latencies;
    private volatile long firstArrival;
    private volatile long lastArrival;

    TrivialFunction(Vertx vertx, LatencyLog latencies) throws Exception {
        this.vertx = vertx;
        this.latencies = latencies;
        this.port = PulsarStandalone.freePort();
        this.deployment = vertx.deployVerticle(() -> new AbstractVerticle() {
            @Override
            public void start(Promise<Void> started) {
                vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setTcpNoDelay(true))
                        .requestHandler(request -> request.body().onSuccess(body -> {
                            arrived(request.getHeader("ce-time"));
                            request.response().setStatusCode(202).end();
                        }))
                        .listen().<Void>mapEmpty().onComplete(started);
            }
        }, new DeploymentOptions().setInstances(2)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void arrived(String time) {
        long now = System.nanoTime();
        if (arrivals.sum() == 0) {
            firstArrival = now;
        }
        arrivals.increment();
        lastArrival = now;
        if (time != null) {
            latencies.record(Instant.parse(time));
        }
    }

    String uri() {
        return "http://127.0.0.1:" + port + "/";
    }

    long arrivals() {
        return arrivals.sum();
    }

    /** Nanoseconds between the first and the last arrival. */
    long span() {
        return lastArrival - firstArrival;
    }

    void reset() {
        arrivals.reset();
        firstArrival = 0;
        lastArrival = 0;
    }

    @Override
    public void close() throws Exception {
        vertx.undeploy(deployment).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
