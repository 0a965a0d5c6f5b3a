package io.autoglm.fleet.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Meters of one name that differ in one tag's value (a tenant, a trigger, a reason), each registered on first use and
 * then only looked up: a hot path counts an event without building a tag list for it. A value that is not known (a
 * caller without a tenant) is {@value #UNKNOWN}.
 */
public final class TaggedMeters<M> {

    /** The tag value for a tenant, trigger or reason that is not known. */
    public static final String UNKNOWN = "unknown";

    private final ConcurrentHashMap<String, M> meters = new ConcurrentHashMap<>();
    private final Function<String, M> register;

    public TaggedMeters(Function<String, M> register) {
        this.register = Objects.requireNonNull(register);
    }

    /** Counters {@code name} with the {@code fixed} tags and {@code key} = each value asked for. */
    public static TaggedMeters<Counter> counters(MeterRegistry registry, String name, String description, Tags fixed, String key) {
        return new TaggedMeters<>(value -> Counter.builder(name).description(description).tags(fixed).tag(key, value).register(registry));
    }

    /** Latency histograms ({@link LatencyHistogram}) {@code name} with the {@code fixed} tags and {@code key} = each value. */
    public static TaggedMeters<Timer> timers(MeterRegistry registry, String name, String description, Tags fixed, String key) {
        return new TaggedMeters<>(value -> LatencyHistogram.timer(name, description).tags(fixed).tag(key, value).register(registry));
    }

    /** Distribution summaries {@code name} in {@code unit}, with the {@code fixed} tags and {@code key} = each value. */
    public static TaggedMeters<DistributionSummary> summaries(MeterRegistry registry, String name, String description, String unit,
            Tags fixed, String key) {
        return new TaggedMeters<>(value -> DistributionSummary.builder(name).description(description).baseUnit(unit).tags(fixed)
                .tag(key, value).register(registry));
    }

    /** The meter for {@code value} (null: {@value #UNKNOWN}), registered the first time it is asked for. */
    public M of(String value) {
        String tag = value == null ? UNKNOWN : value;
        M meter = meters.get(tag);
        return meter != null ? meter : meters.computeIfAbsent(tag, register);
    }
}
