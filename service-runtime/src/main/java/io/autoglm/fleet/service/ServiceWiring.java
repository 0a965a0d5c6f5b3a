package io.autoglm.fleet.service;

import io.autoglm.fleet.events.pulsar.Topics;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** What every service injects the same way: the fleet's topic names and the clock (a test may produce its own). */
@Singleton
public class ServiceWiring {

    @Produces
    @Singleton
    Topics topics(PulsarSettings settings) {
        return new Topics(settings.namespace());
    }

    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
