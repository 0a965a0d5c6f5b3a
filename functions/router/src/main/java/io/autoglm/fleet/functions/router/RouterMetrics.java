package io.autoglm.fleet.functions.router;

import io.autoglm.fleet.events.command.Placement;
import io.autoglm.fleet.events.command.RoutingStrategy;
import io.autoglm.fleet.service.LatencyHistogram;
import io.autoglm.fleet.service.TaggedMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The router's figures at {@code /q/metrics}, per tenant: routing decisions by kind (command, batch member), strategy
 * and outcome ({@code autoglm_router_decisions_total{kind,outcome="routed"|"refused",strategy,tenant}}), inference
 * placements ({@code autoglm_router_placements_total{placement,strategy,tenant}}), requests answered again from
 * memory, and the decision latency ({@code autoglm_router_decision_seconds{kind,tenant}}: the {@code Router} alone,
 * on the tenant's fleet). Each tenant's meters are made at its first request.
 */
@Singleton
public class RouterMetrics implements RoutingObserver {

    private static final Kind[] KINDS = Kind.values();
    private static final RoutingStrategy[] STRATEGIES = RoutingStrategy.values();
    private static final Placement[] PLACEMENTS = Placement.values();

    private final TaggedMeters<TenantMeters> tenants;

    public RouterMetrics(MeterRegistry registry) {
        this.tenants = new TaggedMeters<>(tenant -> new TenantMeters(registry, tenant));
    }

    @Override
    public void decided(String tenant, Kind kind, long nanos) {
        tenants.of(tenant).latency[kind.ordinal()].record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void command(String tenant, Kind kind, RoutingStrategy strategy, boolean routed) {
        tenants.of(tenant).decisions[kind.ordinal()][strategy.ordinal()][routed ? 0 : 1].increment();
    }

    @Override
    public void placed(String tenant, RoutingStrategy strategy, Placement placement) {
        tenants.of(tenant).placements[strategy.ordinal()][placement.ordinal()].increment();
    }

    @Override
    public void recalled(String tenant) {
        tenants.of(tenant).recalled.increment();
    }

    /** One tenant's meters, each registered once. */
    private static final class TenantMeters {
        final Counter[][][] decisions = new Counter[KINDS.length][STRATEGIES.length][2];
        final Counter[][] placements = new Counter[STRATEGIES.length][PLACEMENTS.length];
        final Timer[] latency = new Timer[KINDS.length];
        final Counter recalled;

        TenantMeters(MeterRegistry registry, String tenant) {
            for (Kind kind : KINDS) {
                latency[kind.ordinal()] = LatencyHistogram.timer("autoglm.router.decision", "The Router's decision on the tenant's fleet")
                        .tags("tenant", tenant, "kind", tag(kind.name())).register(registry);
                for (RoutingStrategy strategy : STRATEGIES) {
                    for (int outcome = 0; outcome < 2; outcome++) {
                        decisions[kind.ordinal()][strategy.ordinal()][outcome] = Counter.builder("autoglm.router.decisions")
                                .description("Commands routed or refused, alone or as a batch's member")
                                .tags("tenant", tenant, "kind", tag(kind.name()), "strategy", tag(strategy.name()),
                                        "outcome", outcome == 0 ? "routed" : "refused").register(registry);
                    }
                }
            }
            for (RoutingStrategy strategy : STRATEGIES) {
                for (Placement placement : PLACEMENTS) {
                    placements[strategy.ordinal()][placement.ordinal()] = Counter.builder("autoglm.router.placements")
                            .description("Inference requests placed, by where").tags("tenant", tenant, "strategy", tag(strategy.name()),
                                    "placement", placement.attributeValue()).register(registry);
                }
            }
            recalled = Counter.builder("autoglm.router.recalled").description("Requests delivered again, answered with the first decision")
                    .tag("tenant", tenant).register(registry);
        }
    }

    private static String tag(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
