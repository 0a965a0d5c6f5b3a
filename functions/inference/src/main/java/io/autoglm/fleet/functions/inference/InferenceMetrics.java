package io.autoglm.fleet.functions.inference;

import io.autoglm.fleet.inference.engine.ExecutionProvider;
import io.autoglm.fleet.inference.serving.InferenceObserver;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The inference tier's metrics, exported by Micrometer at {@code /q/metrics}: which execution
 * provider serves each model ({@code autoglm_inference_engine{model,provider}} = 1), batch sizes,
 * queue wait and compute time, refusals by reason, swaps by outcome, requests by version and split
 * ({@code autoglm_inference_routed_total{model,version,split="main"|"canary"}}), and the cold start.
 */
@Singleton
public class InferenceMetrics implements InferenceObserver {

    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> engines = new ConcurrentHashMap<>();
    private final AtomicLong coldStartMillis = new AtomicLong(-1);
    private final AtomicLong readyMillis = new AtomicLong(-1);

    public InferenceMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("autoglm.inference.cold.start.seconds", Tags.of("until", "first_answer"), coldStartMillis, v -> v.get() / 1000.0);
        registry.gauge("autoglm.inference.cold.start.seconds", Tags.of("until", "ready"), readyMillis, v -> v.get() / 1000.0);
    }

    @Override
    public void engineSelected(String model, int version, ExecutionProvider provider, List<String> fallbacks) {
        for (ExecutionProvider p : ExecutionProvider.values()) {
            engines.computeIfAbsent(model + "|" + p.wireName(), key -> registry.gauge("autoglm.inference.engine",
                    Tags.of("model", model, "provider", p.wireName()), new AtomicInteger()))
                    .set(p == provider ? 1 : 0);
        }
        registry.counter("autoglm.inference.engine.fallbacks", "model", model).increment(fallbacks.size());
    }

    @Override
    public void batchRan(String model, int requests, int rows, long oldestWaitNanos, long computeNanos) {
        DistributionSummary.builder("autoglm.inference.batch.rows").tag("model", model).register(registry).record(rows);
        DistributionSummary.builder("autoglm.inference.batch.requests").tag("model", model).register(registry).record(requests);
        Timer.builder("autoglm.inference.batch.compute").tag("model", model).register(registry).record(computeNanos, TimeUnit.NANOSECONDS);
        Timer.builder("autoglm.inference.queue.wait").tag("model", model).register(registry).record(oldestWaitNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void refused(String model, String reason) {
        registry.counter("autoglm.inference.refused", "model", model, "reason", reason).increment();
    }

    @Override
    public void swapped(String model, Integer from, int to, String failure) {
        registry.counter("autoglm.inference.swaps", "model", model, "outcome", failure == null ? "swapped" : "failed").increment();
    }

    @Override
    public void routed(String model, int version, boolean canary) {
        registry.counter("autoglm.inference.routed", "model", model, "version", Integer.toString(version), "split",
                canary ? "canary" : "main").increment();
    }

    @Override
    public void coldStart(Duration processStartToFirstAnswer, Duration processStartToReady) {
        coldStartMillis.set(processStartToFirstAnswer.toMillis());
        readyMillis.set(processStartToReady.toMillis());
    }
}
