package io.autoglm.fleet.triggers.dispatcher;

import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.events.pulsar.Topics;
import io.autoglm.fleet.service.ProblemDetails;
import io.autoglm.fleet.triggers.ingress.EventIngress;
import io.autoglm.fleet.triggers.replay.DeadLetterReplay;
import io.autoglm.fleet.triggers.replay.InvalidReplayFilterException;
import io.autoglm.fleet.triggers.replay.ReplayBusyException;
import io.autoglm.fleet.triggers.replay.ReplayFilter;
import io.autoglm.fleet.triggers.replay.ReplayResult;
import io.quarkus.vertx.web.Route;
import io.vertx.ext.web.RoutingContext;
import org.apache.pulsar.client.api.PulsarClient;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /dead-letters/replay?tenant=...&trigger=...&type=...&since=...&until=...}: puts a tenant's
 * dead letters matching the filters back on their original topics ({@link DeadLetterReplay}) and answers
 * how many went back ({@link ReplayResult}). Bad filters get a 400 problem body naming each problem, a
 * replay of the same tenant already running a 409, Pulsar not answering a 503.
 */
public class DeadLetterReplayRoute {

    private static final Logger LOG = Logger.getLogger(DeadLetterReplayRoute.class);

    private final DeadLetterReplay replay;

    DeadLetterReplayRoute(PulsarClient client, Topics topics, EventIngress ingress) {
        this.replay = new DeadLetterReplay(client, topics, ingress);
    }

    @Route(path = "/dead-letters/replay", methods = Route.HttpMethod.POST, type = Route.HandlerType.BLOCKING)
    void replay(RoutingContext context) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        context.queryParams().names().forEach(name -> query.put(name, context.queryParams().getAll(name)));
        try {
            ReplayFilter filter = ReplayFilter.parse(query);
            ReplayResult result = replay.replay(filter);
            LOG.infof("Replayed %d dead letter(s) of tenant %s (%s); %d skipped, %d cannot be replayed", result.replayed(), filter.tenant(),
                    result.byTrigger(), result.skipped(), result.unreplayable());
            context.response().setStatusCode(200).putHeader("Content-Type", "application/json")
                    .end(new String(EventJson.write(result), StandardCharsets.UTF_8));
        } catch (InvalidReplayFilterException e) {
            ProblemDetails.of("invalid-replay-filter", "Invalid replay filter", 400, e.getMessage(),
                    e.problems().stream().map(problem -> new Problem("query", problem)).toList()).answer(context);
        } catch (ReplayBusyException e) {
            ProblemDetails.of("replay-running", "A replay is running", 409, e.getMessage()).answer(context);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unavailable("the dispatcher is stopping").answer(context);
        } catch (Exception e) {
            LOG.warnf("A replay of dead letters failed: %s", e.toString());
            unavailable("Pulsar did not answer: " + e.getMessage()).answer(context);
        }
    }

    private static ProblemDetails unavailable(String why) {
        return ProblemDetails.of("broker-unavailable", "Event log unavailable", 503,
                why + "; what was replayed stays replayed, call again for the rest");
    }
}
