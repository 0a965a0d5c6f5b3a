package io.autoglm.fleet.triggers.sink;

import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.Problem;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The sink's refusals as RFC 9457 problem details ({@code application/problem+json}), in the shape
 * the functions answer too: a title, the HTTP status, a sentence saying what to do, and for invalid
 * events every {@link Problem}.
 */
public record SinkProblem(URI type, String title, int status, String detail, List<Problem> problems) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://autoglm.io/problems/";

    public SinkProblem {
        problems = problems == null ? List.of() : List.copyOf(problems);
    }

    static SinkProblem invalidEvents(List<Problem> problems) {
        String detail = problems.size() == 1 ? problems.get(0).message()
                : problems.size() + " problems, nothing was written: " + problems.get(0).message() + "; ...";
        return new SinkProblem(URI.create(TYPE_BASE + "invalid-event"), "Invalid CloudEvent", 400, detail, problems);
    }

    static SinkProblem unauthenticated(String detail) {
        return new SinkProblem(URI.create(TYPE_BASE + "unauthenticated"), "Missing or invalid bearer token", 401, detail, List.of());
    }

    static SinkProblem forbidden(String detail) {
        return new SinkProblem(URI.create(TYPE_BASE + "forbidden-tenant"), "Not this tenant's topics", 403, detail, List.of());
    }

    static SinkProblem tooLarge(String limit) {
        return new SinkProblem(URI.create(TYPE_BASE + "request-too-large"), "Request too large", 413,
                "the body is over the sink's limit of " + limit + "; send fewer events per batch", List.of());
    }

    static SinkProblem unavailable(String detail) {
        return new SinkProblem(URI.create(TYPE_BASE + "broker-unavailable"), "Event log unavailable", 503,
                detail + "; nothing of this request was written, send it again later", List.of());
    }

    String toJson() {
        return new String(EventJson.write(this), StandardCharsets.UTF_8);
    }
}
