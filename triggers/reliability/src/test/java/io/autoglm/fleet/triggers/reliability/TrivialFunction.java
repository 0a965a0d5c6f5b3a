package io.autoglm.fleet.triggers.reliability;

import io.autoglm.fleet.pulsar.local.PulsarStandalone;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The cheapest possible subscriber, for the benchmark: reads the request, notes when the event
 * arrived against its {@code ce-time}, answers 202 without a reply. It listens on two event loops,
 * so that what is measured is the dispatcher, not this function. While {@linkplain #hold() held} it
 * keeps the requests unanswered (the dispatcher's pipeline fills up, as a raw consumer's receiver
 * queue does before its first receive) and answers them on {@link #release()}; an event counts as
 * arrived when it is answered.
 */
final class TrivialFunction implements AutoCloseable {

    private final Vertx vertx;
    private final int port;
    private final String deployment;
    private final LongAdder arrivals = new LongAdder();
    private final LatencyLog latencies;
    private volatile long firstArrival;
    private volatile long lastArrival;
    private volatile boolean held;
    private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();

    TrivialFunction(Vertx vertx, LatencyLog latencies) throws Exception {
        this.vertx = vertx;
        this.latencies = latencies;
        this.port = PulsarStandalone.freePort();
        this.deployment = vertx.deployVerticle(() -> new AbstractVerticle() {
            @Override
            public void start(Promise<Void> started) {
                vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setTcpNoDelay(true))
                        .requestHandler(request -> request.body().onSuccess(body -> {
                            if (held) {
                                Context context = vertx.getOrCreateContext();
                                waiting.add(() -> context.runOnContext(released -> answer(request)));
                                if (!held) { // released while this one was being added: release() may have missed it
                                    answerWaiting();
                                }
                            } else {
                                answer(request);
                            }
                        }))
                        .listen().<Void>mapEmpty().onComplete(started);
            }
        }, new DeploymentOptions().setInstances(2)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void answer(HttpServerRequest request) {
        arrived(request.getHeader("ce-time"));
        request.response().setStatusCode(202).end();
    }

    /** Keeps requests unanswered until {@link #release()}. */
    void hold() {
        held = true;
    }

    /** Answers the requests held and those that come after. */
    void release() {
        held = false;
        answerWaiting();
    }

    private void answerWaiting() {
        for (Runnable answer = waiting.poll(); answer != null; answer = waiting.poll()) {
            answer.run();
        }
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

    /** CPU time of the event loops this function runs on (the benchmark's Vert.x runs nothing else). */
    long cpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (ThreadInfo thread : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (thread != null && thread.getThreadName().startsWith("vert.x-eventloop-thread-")) {
                sum += Math.max(0, threads.getThreadCpuTime(thread.getThreadId()));
            }
        }
        return sum;
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
