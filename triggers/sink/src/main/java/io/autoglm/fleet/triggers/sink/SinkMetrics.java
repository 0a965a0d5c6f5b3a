package io.autoglm.fleet.triggers.sink;

import io.autoglm.fleet.service.TaggedMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The sink's figures at {@code /q/metrics}, per tenant: events Pulsar acknowledged
 * ({@code autoglm_sink_events_total{outcome="accepted"}}) and dead letters taken, requests refused by reason
 * ({@code autoglm_sink_requests_refused_total{reason}}), the time from a request's events to Pulsar's acknowledgement of
 * all of them ({@code autoglm_sink_publish_seconds}), and request body sizes ({@code autoglm_sink_request_size_bytes}).
 * A caller without a verified token is tenant {@code unknown}.
 */
@Singleton
public class SinkMetrics {

    /** Why the sink refused a request. */
    enum Refusal {
        UNAUTHENTICATED, FORBIDDEN, INVALID, UNAVAILABLE;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final TaggedMeters<Counter> accepted;
    private final TaggedMeters<Counter> deadLetters;
    private final Map<Refusal, TaggedMeters<Counter>> refused = new EnumMap<>(Refusal.class);
    private final TaggedMeters<Timer> publish;
    private final TaggedMeters<DistributionSummary> sizes;

    public SinkMetrics(MeterRegistry registry) {
        accepted = TaggedMeters.counters(registry, "autoglm.sink.events", "Events Pulsar acknowledged (answered 202)",
                Tags.of("outcome", "accepted"), "tenant");
        deadLetters = TaggedMeters.counters(registry, "autoglm.sink.dead.letters",
                "Failed events taken for the tenant's dead-letter topic", Tags.empty(), "tenant");
        for (Refusal reason : Refusal.values()) {
            refused.put(reason, TaggedMeters.counters(registry, "autoglm.sink.requests.refused",
                    "Requests refused, by reason (401, 403, 400, 503)", Tags.of("reason", reason.tag()), "tenant"));
        }
        publish = TaggedMeters.timers(registry, "autoglm.sink.publish",
                "From a valid request's events to Pulsar's acknowledgement of all of them", Tags.empty(), "tenant");
        sizes = TaggedMeters.summaries(registry, "autoglm.sink.request.size", "Request body sizes", "bytes", Tags.empty(), "tenant");
    }

    void received(String tenant, int bytes) {
        sizes.of(tenant).record(bytes);
    }

    void written(String tenant, int events, boolean deadLetter, long startNanos) {
        publish.of(tenant).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        (deadLetter ? deadLetters : accepted).of(tenant).increment(events);
    }

    void refused(Refusal reason, String tenant) {
        refused.get(reason).of(tenant).increment();
    }
}
