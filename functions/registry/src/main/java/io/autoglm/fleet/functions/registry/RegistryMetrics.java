package io.autoglm.fleet.functions.registry;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.device.DeviceRegistered;
import io.autoglm.fleet.events.device.RegistrationOutcome;
import io.autoglm.fleet.service.TaggedMeters;
import io.autoglm.fleet.state.Reply;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.inject.Singleton;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The registry's figures at {@code /q/metrics}, per tenant: registrations by outcome
 * ({@code autoglm_registry_registrations_total{outcome="created"|"updated"|"unchanged"|"rejected"|"failed"}}) and
 * deregistrations ({@code outcome="deregistered"|"rejected"|"failed"}), counted from the replies.
 */
@Singleton
public class RegistryMetrics {

    private final Map<RegistrationOutcome, TaggedMeters<Counter>> registered = new EnumMap<>(RegistrationOutcome.class);
    private final TaggedMeters<Counter> registrationsRejected;
    private final TaggedMeters<Counter> registrationsFailed;
    private final TaggedMeters<Counter> deregistered;
    private final TaggedMeters<Counter> deregistrationsRejected;
    private final TaggedMeters<Counter> deregistrationsFailed;

    public RegistryMetrics(MeterRegistry registry) {
        for (RegistrationOutcome outcome : RegistrationOutcome.values()) {
            registered.put(outcome, registrations(registry, outcome.name().toLowerCase(Locale.ROOT)));
        }
        registrationsRejected = registrations(registry, "rejected");
        registrationsFailed = registrations(registry, "failed");
        deregistered = deregistrations(registry, "deregistered");
        deregistrationsRejected = deregistrations(registry, "rejected");
        deregistrationsFailed = deregistrations(registry, "failed");
    }

    private static TaggedMeters<Counter> registrations(MeterRegistry registry, String outcome) {
        return TaggedMeters.counters(registry, "autoglm.registry.registrations", "Registration requests, by outcome",
                Tags.of("outcome", outcome), "tenant");
    }

    private static TaggedMeters<Counter> deregistrations(MeterRegistry registry, String outcome) {
        return TaggedMeters.counters(registry, "autoglm.registry.deregistrations", "Deregistration requests, by outcome",
                Tags.of("outcome", outcome), "tenant");
    }

    /** A request's answer. */
    void replied(Reply reply) {
        if (reply == null) {
            return;
        }
        TaggedMeters<Counter> counter;
        if (reply.type() == EventType.DEVICE_REGISTERED) {
            counter = registered.get(((DeviceRegistered) reply.payload()).outcome());
        } else if (reply.type() == EventType.DEVICE_REGISTRATION_REJECTED) {
            counter = registrationsRejected;
        } else if (reply.type() == EventType.DEVICE_DEREGISTERED) {
            counter = deregistered;
        } else if (reply.type() == EventType.DEVICE_DEREGISTRATION_REJECTED) {
            counter = deregistrationsRejected;
        } else {
            return;
        }
        counter.of(reply.tenant()).increment();
    }

    /** A request that failed on our side (retried by the dispatcher). */
    void failed(boolean registration, String tenant) {
        (registration ? registrationsFailed : deregistrationsFailed).of(tenant).increment();
    }
}
