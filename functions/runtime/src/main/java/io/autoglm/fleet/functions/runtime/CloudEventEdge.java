package io.autoglm.fleet.functions.runtime;

import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.events.validation.EventValidator;
import io.autoglm.fleet.events.validation.HttpEvents;
import io.autoglm.fleet.events.validation.Validation;
import io.quarkus.vertx.web.RouteFilter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Checks every CloudEvent a function receives before Funqy maps it to the function, so a bad event
 * gets a 400 with a problem body naming every problem (malformed JSON included, which Funqy alone
 * answers with a 500), and batch mode gets a 406 that says what to do instead.
 */
public class CloudEventEdge {

    private static final Logger LOG = Logger.getLogger(CloudEventEdge.class);
    /** Runs after Quarkus has read the body, before any route. */
    static final int PRIORITY = 100;

    private final EventValidator validator = EventValidator.standard();

    @RouteFilter(PRIORITY)
    void check(RoutingContext context) {
        if (context.request().method() != HttpMethod.POST || context.normalizedPath().startsWith("/q/")) {
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
        List<Validation> events = HttpEvents.read(validator, context.request().headers(), body == null ? new byte[0] : body.getBytes());
        Validation event = events.get(0);
        if (!event.isValid()) {
            LOG.infof("rejected an invalid event: %s", event.summary());
            respond(context, invalidEvent(event.problems()));
            return;
        }
        context.next();
    }

    static ProblemDetails invalidEvent(List<Problem> problems) {
        String detail = problems.size() == 1 ? problems.get(0).message() : problems.size() + " problems: " + problems.get(0).message() + "; ...";
        return ProblemDetails.of("invalid-event", "Invalid CloudEvent", 400, detail, problems);
    }

    static void respond(RoutingContext context, ProblemDetails problem) {
        context.response()
                .setStatusCode(problem.status())
                .putHeader("Content-Type", ProblemDetails.MEDIA_TYPE)
                .end(problem.toJson());
    }
}
