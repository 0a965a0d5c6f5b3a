package io.autoglm.fleet.functions.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.events.validation.EventValidator;
import io.autoglm.fleet.events.validation.HttpEvents;
import io.autoglm.fleet.events.validation.Validation;
import io.autoglm.fleet.service.Bytes;
import io.autoglm.fleet.service.ProblemDetails;
import io.quarkus.vertx.web.RouteFilter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.RoutingContextInternal;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Checks every CloudEvent a function receives before Funqy maps it to the function, so a bad event
 * gets a 400 with a problem body naming every problem (malformed JSON included, which Funqy alone
 * answers with a 500), and batch mode gets a 406 that says what to do instead. A function that also serves a plain HTTP
 * API (the agent function's {@code POST /tasks/{id}/cancel}) names its path prefixes in
 * {@code autoglm.edge.plain-http-paths}; requests there are not events and pass unchecked.
 */
public class CloudEventEdge {

    private static final Logger LOG = Logger.getLogger(CloudEventEdge.class);
    /** Runs after Quarkus has read the body, before any route. */
    static final int PRIORITY = 100;

    private static final String JSON = "application/json";
    private static final byte[] DATACONTENTTYPE = "\"datacontenttype\"".getBytes(StandardCharsets.US_ASCII);

    private final EventValidator validator = EventValidator.standard();

    /** Path prefixes of the function's own HTTP API (not CloudEvents); none by default. */
    @ConfigProperty(name = "autoglm.edge.plain-http-paths")
    Optional<List<String>> plainHttpPaths;

    @RouteFilter(PRIORITY)
    void check(RoutingContext context) {
        if (context.request().method() != HttpMethod.POST || context.normalizedPath().startsWith("/q/") || plainHttp(context.normalizedPath())) {
            context.next();
            return;
        }
        String contentType = context.request().getHeader("Content-Type");
        if (HttpEvents.Mode.of(contentType) == HttpEvents.Mode.BATCH) {
            respond(context, ProblemDetails.of("batch-not-supported", "Batch mode is not supported", 406,
                    "functions take one event per request; send the events one by one, or to the ingress sink, "
                            + "which accepts batches", List.of()));
            return;
        }
        Buffer body = context.body() == null ? null : context.body().buffer();
        byte[] bytes = body == null ? new byte[0] : body.getBytes();
        List<Validation> events = HttpEvents.read(validator, context.request().headers(), bytes);
        Validation event = events.get(0);
        if (!event.isValid()) {
            LOG.infof("rejected an invalid event: %s", event.summary());
            respond(context, invalidEvent(event.problems()));
            return;
        }
        assumeJsonData(context, contentType, bytes);
        context.next();
    }

    private boolean plainHttp(String path) {
        if (plainHttpPaths.isEmpty()) {
            return false;
        }
        for (String prefix : plainHttpPaths.get()) {
            if (path.equals(prefix) || path.startsWith(prefix.endsWith("/") ? prefix : prefix + "/")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Without a data content type, an event's data is JSON (what the JSON event format says, and what the sink
     * accepts): says so to Funqy, which otherwise cannot read the data and answers 500 on every delivery.
     */
    private static void assumeJsonData(RoutingContext context, String contentType, byte[] body) {
        if (contentType == null) {
            if (body.length > 0) {
                context.request().headers().set("Content-Type", JSON);
            }
            return;
        }
        if (HttpEvents.Mode.of(contentType) == HttpEvents.Mode.STRUCTURED && Bytes.indexOf(body, DATACONTENTTYPE) < 0) {
            JsonNode tree = EventJson.tree(body);
            if (tree instanceof ObjectNode event && event.has("data") && !event.has("datacontenttype")) {
                event.put("datacontenttype", JSON);
                ((RoutingContextInternal) context).setBody(Buffer.buffer(EventJson.write(event)));
            }
        }
    }

    static ProblemDetails invalidEvent(List<Problem> problems) {
        String detail = problems.size() == 1 ? problems.get(0).message() : problems.size() + " problems: " + problems.get(0).message() + "; ...";
        return ProblemDetails.of("invalid-event", "Invalid CloudEvent", 400, detail, problems);
    }

    static void respond(RoutingContext context, ProblemDetails problem) {
        problem.answer(context);
    }
}
