package io.autoglm.fleet.triggers.dispatcher;

import io.autoglm.fleet.triggers.dispatch.DeliveryPause;
import io.autoglm.fleet.triggers.dispatch.Dispatcher;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

import java.util.Map;

/**
 * The dispatcher's health. Alive while every Trigger's subscription takes events from Pulsar (or is
 * paused for its subscriber: restarting the dispatcher would not bring a subscriber back). Ready while
 * every Trigger delivers, not while one is paused because its subscriber cannot be connected to; each
 * paused Trigger is named ({@code paused.<trigger>}) with since when and why.
 */
@Singleton
public class DispatcherHealth {

    private final DispatcherService service;

    DispatcherHealth(DispatcherService service) {
        this.service = service;
    }

    @Produces
    @Liveness
    HealthCheck subscriptions() {
        return () -> check("trigger-subscriptions", Map.of()).build();
    }

    @Produces
    @Readiness
    HealthCheck delivery() {
        return () -> {
            Dispatcher dispatcher = service.dispatcher();
            Map<String, DeliveryPause.State> paused = dispatcher == null ? Map.of() : dispatcher.paused();
            HealthCheckResponseBuilder response = check("trigger-delivery", paused);
            paused.forEach((trigger, state) -> response.withData("paused." + trigger, "since " + state.since() + ": " + state.reason()
                    + (state.deadLettering() ? " (over the longest pause: dead-lettering)" : " (" + state.waiting() + " event(s) waiting)")));
            return response.build();
        };
    }

    private HealthCheckResponseBuilder check(String name, Map<String, DeliveryPause.State> paused) {
        Dispatcher dispatcher = service.dispatcher();
        return HealthCheckResponse.named(name).status(dispatcher != null && dispatcher.running() && paused.isEmpty())
                .withData("triggers", dispatcher == null ? 0 : dispatcher.subscriptions().size());
    }
}
