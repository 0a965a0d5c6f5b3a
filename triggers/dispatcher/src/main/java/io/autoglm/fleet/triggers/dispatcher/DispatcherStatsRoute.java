package io.autoglm.fleet.triggers.dispatcher;

import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.triggers.dispatch.DeliveryPause;
import io.autoglm.fleet.triggers.dispatch.Dispatcher;
import io.autoglm.fleet.triggers.dispatch.DispatchStats;
import io.quarkus.vertx.web.Route;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code GET /stats}: each Trigger's counts and the totals as JSON, for the local stack's status
 * line and for operators, and the Triggers paused because their subscriber is unreachable.
 */
public class DispatcherStatsRoute {

    private final DispatcherService service;

    DispatcherStatsRoute(DispatcherService service) {
        this.service = service;
    }

    /** The JSON body of {@code GET /stats}. */
    public record Stats(Map<String, DispatchStats.Snapshot> triggers, DispatchStats.Snapshot totals, Map<String, DeliveryPause.State> paused) {
    }

    @Route(path = "/stats", methods = Route.HttpMethod.GET, produces = "application/json")
    void stats(RoutingContext context) {
        Dispatcher dispatcher = service.dispatcher();
        Stats stats = dispatcher == null ? new Stats(Map.of(), DispatchStats.Snapshot.zero(), Map.of())
                : new Stats(dispatcher.stats(), dispatcher.totals(), dispatcher.paused());
        context.response().putHeader("Content-Type", "application/json")
                .end(new String(EventJson.write(stats), StandardCharsets.UTF_8));
    }
}
