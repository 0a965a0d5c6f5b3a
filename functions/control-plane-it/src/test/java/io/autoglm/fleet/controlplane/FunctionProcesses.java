package io.autoglm.fleet.controlplane;

import io.autoglm.fleet.events.testing.PulsarEndpoints;
import io.autoglm.fleet.triggers.dispatch.HttpSubscriberClient;
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The functions as the processes they are deployed as (their packaged Quarkus apps), fed over HTTP by the dispatcher
 * ({@link HttpSubscriberClient}, as in production).
 */
final class FunctionProcesses extends ControlPlane {

    final FunctionProcess registry;
    final FunctionProcess heartbeat;
    final FunctionProcess router;
    private final Vertx vertx = Vertx.vertx();

    FunctionProcesses(PulsarEndpoints endpoints, Map<String, String> config, Path logs) throws Exception {
        super(endpoints);
        Map<String, String> settings = new HashMap<>(config);
        settings.put("autoglm.pulsar.service-url", endpoints.serviceUrl());
        settings.put("autoglm.pulsar.namespace", topics.namespace());
        registry = FunctionProcess.start("registry", settings, logs);
        heartbeat = FunctionProcess.start("heartbeat", settings, logs);
        router = FunctionProcess.start("router", settings, logs);
        dispatch(Map.of("registry", registry.url(), "heartbeat", heartbeat.url(), "router", router.url()),
                trigger -> new HttpSubscriberClient(vertx, DISPATCH.concurrency(), Duration.ofSeconds(2)));
    }

    @Override
    double messagesPerHeartbeat() {
        return Double.parseDouble(heartbeat.readiness().replaceAll("(?s).*\"messagesPerHeartbeat\"\\s*:\\s*\"([0-9.]+)\".*", "$1"));
    }

    @Override
    String heartbeatCounters() {
        return heartbeat.readiness().replaceAll("\\s+", " ");
    }

    @Override
    Map<String, Long> residentMegabytes() {
        return Map.of("registry", registry.residentMegabytes(), "heartbeat", heartbeat.residentMegabytes(), "router", router.residentMegabytes());
    }

    @Override
    String describe() {
        return "functions as processes (packaged Quarkus apps, " + String.join(" ", FunctionProcess.jvmOptions("registry"))
                + "; the heartbeat function without -XX:TieredStopAtLevel=1), fed over HTTP by the dispatcher";
    }

    @Override
    public void close() throws Exception {
        super.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
        router.close();
        heartbeat.close();
        registry.close();
    }
}
