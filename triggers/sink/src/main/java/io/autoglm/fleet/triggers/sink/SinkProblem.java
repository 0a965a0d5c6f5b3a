package io.autoglm.fleet.triggers.sink;

import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.service.ProblemDetails;

import java.util.List;

/**
 * The sink's refusals as problem details, in the shape every service answers: a title, the HTTP
 * status, a sentence saying what to do, and for invalid events every {@link Problem} (the first
 * {@value ProblemDetails#MAX_LISTED}, and how many more).
 */
final class SinkProblem {

    private SinkProblem() {
    }

    static ProblemDetails invalidEvents(List<Problem> problems) {
        String detail = problems.size() == 1 ? problems.get(0).message()
                : problems.size() + " problems, nothing was written: " + problems.get(0).message() + "; ...";
        return ProblemDetails.of("invalid-event", "Invalid CloudEvent", 400, detail, problems);
    }

    static ProblemDetails unauthenticated(String detail) {
        return ProblemDetails.of("unauthenticated", "Missing or invalid bearer token", 401, detail);
    }

    static ProblemDetails forbidden(String detail) {
        return ProblemDetails.of("forbidden-tenant", "Not this tenant's topics", 403, detail);
    }

    static ProblemDetails unavailable(String detail) {
        return ProblemDetails.of("broker-unavailable", "Event log unavailable", 503,
                detail + "; nothing of this request was written, send it again later");
    }
}
