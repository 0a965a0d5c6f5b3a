package io.autoglm.fleet.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class TaggedMetersTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void eachValueHasOneMeterMadeOnceWithTheFixedTags() {
        TaggedMeters<Counter> events = TaggedMeters.counters(registry, "autoglm.test.events", "events", Tags.of("outcome", "accepted"), "tenant");

        events.of("acme").increment();
        events.of("acme").increment();
        events.of("globex").increment();

        assertThat(events.of("acme")).isSameAs(events.of("acme"));
        assertThat(registry.get("autoglm.test.events").tags("outcome", "accepted", "tenant", "acme").counter().count()).isEqualTo(2.0);
        assertThat(registry.get("autoglm.test.events").tags("tenant", "globex").counter().count()).isEqualTo(1.0);
    }

    @Test
    void anUnknownValueIsTaggedUnknown() {
        TaggedMeters<Counter> refused = TaggedMeters.counters(registry, "autoglm.test.refused", "refused", Tags.empty(), "tenant");

        refused.of(null).increment();

        assertThat(registry.get("autoglm.test.refused").tags("tenant", TaggedMeters.UNKNOWN).counter().count()).isEqualTo(1.0);
    }

    @Test
    void timersShareTheLatencyBuckets() {
        Timer timer = TaggedMeters.timers(registry, "autoglm.test.latency", "latency", Tags.empty(), "tenant").of("acme");

        timer.record(Duration.ofMillis(3));

        assertThat(timer.takeSnapshot().histogramCounts()).hasSize(LatencyHistogram.BUCKETS.length)
                .filteredOn(bucket -> bucket.bucket(java.util.concurrent.TimeUnit.MILLISECONDS) == 5.0).singleElement()
                .satisfies(bucket -> assertThat(bucket.count()).isEqualTo(1.0));
    }
}
