package io.autoglm.fleet.functions.runtime;

import io.autoglm.fleet.service.ProblemDetails;
import io.autoglm.fleet.events.validation.InvalidEventException;
import io.quarkus.vertx.web.Route;
import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.UUID;

/**
 * Turns every failed request into a problem-details body: an {@link InvalidEventException} from a
 * function is the caller's fault (400); 404/405/406 from Funqy say which event no function here
 * takes; anything else is ours (500, logged with an id the body repeats, never a stack trace).
 */
public class FailureProblems {

    private static final Logger LOG = Logger.getLogger(FailureProblems.class);

    @Route(path = "/*", type = Route.HandlerType.FAILURE)
    void failure(RoutingContext context) {
        if (context.response().ended()) {
            return;
        }
        Throwable failure = context.failure();
        int status = context.statusCode();
        InvalidEventException invalid = invalidEvent(failure);
        if (invalid != null) {
            CloudEventEdge.respond(context, CloudEventEdge.invalidEvent(invalid.problems()));
        } else if (status == 404) {
            String type = context.request().getHeader("ce-type");
            CloudEventEdge.respond(context, ProblemDetails.of("no-function", "No function takes this event", 404,
                    type == null ? "no function is mapped to " + context.normalizedPath()
                            : "no function here is triggered by type " + type, List.of()));
        } else if (status >= 400 && status < 500) {
            CloudEventEdge.respond(context, ProblemDetails.of("bad-request", "Request refused", status,
                    "the request was refused with HTTP " + status, List.of()));
        } else {
            String id = UUID.randomUUID().toString();
            LOG.errorf(failure, "request %s failed (error id %s)", context.normalizedPath(), id);
            CloudEventEdge.respond(context, ProblemDetails.of("internal-error", "Internal error", 500,
                    "the function failed; retry later (error id " + id + ")", List.of()));
        }
    }

    /** The {@link InvalidEventException} behind a failure, however Funqy wrapped it, or null. */
    private static InvalidEventException invalidEvent(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidEventException) {
                return (InvalidEventException) cause;
            }
        }
        return null;
    }
}
