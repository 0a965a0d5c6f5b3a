package io.autoglm.fleet.triggers.dispatcher;

import io.autoglm.fleet.triggers.dispatch.Dispatcher;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

import jakarta.inject.Singleton;

/** Ready, and alive, while every Trigger's subscription is taking events from Pulsar. */
@Readiness
@Liveness
@Singleton
public class DispatcherReadiness implements HealthCheck {

    private final DispatcherService service;

    DispatcherReadiness(DispatcherService service) {
        this.service = service;
    }

    @Override
    public HealthCheckResponse call() {
        Dispatcher dispatcher = service.dispatcher();
        boolean up = dispatcher != null && dispatcher.running();
        return HealthCheckResponse.named("trigger-subscriptions").status(up)
                .withData("triggers", dispatcher == null ? 0 : dispatcher.subscriptions().size())
                .build();
    }
}
