package io.autoglm.fleet.controlplane;

import io.autoglm.fleet.events.testing.PulsarEndpoints;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The functions as the processes they are deployed as (their packaged Quarkus apps), fed over HTTP. */
final class FunctionProcesses extends ControlPlane {

    final FunctionProcess registry;
    final FunctionProcess heartbeat;
    final FunctionProcess router;

    FunctionProcesses(PulsarEndpoints endpoints, List<String> tenants, Map<String, String> config, Path logs) throws Exception {
        super(endpoints);
        Map<String, String> settings = new HashMap<>(config);
        settings.put("autoglm.pulsar.service-url", endpoints.serviceUrl());
        registry = FunctionProcess.start("registry", settings, logs);
        heartbeat = FunctionProcess.start("heartbeat", settings, logs);
        router = FunctionProcess.start("router", settings, logs);
        route(tenants, DataPlane.http(registry.url()), DataPlane.http(heartbeat.url()), DataPlane.http(router.url()));
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
        return "functions as processes (packaged Quarkus apps, " + String.join(" ", FunctionProcess.jvmOptions()) + "), fed over HTTP";
    }

    @Override
    public void close() throws Exception {
        super.close();
        router.close();
        heartbeat.close();
        registry.close();
    }
}
