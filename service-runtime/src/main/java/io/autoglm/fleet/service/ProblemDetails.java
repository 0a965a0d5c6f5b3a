package io.autoglm.fleet.service;

import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.Problem;
import io.vertx.ext.web.RoutingContext;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * An RFC 9457 problem-details body ({@code application/problem+json}), with the contract's
 * {@link Problem}s as the {@code problems} extension member so a caller sees every reason at once:
 * the first {@value #MAX_LISTED} of them, and in {@code moreProblems} how many more there were (a
 * batch of ten thousand bad events is answered in a few kilobytes, not megabytes).
 */
public record ProblemDetails(URI type, String title, int status, String detail, List<Problem> problems, Integer moreProblems) {

    public static final String MEDIA_TYPE = "application/problem+json";
    /** How many problems a body lists at most. */
    public static final int MAX_LISTED = 100;
    private static final String TYPE_BASE = "https://autoglm.io/problems/";

    public ProblemDetails {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
        problems = problems == null ? List.of() : problems;
        int more = Math.max(0, problems.size() - MAX_LISTED) + (moreProblems == null ? 0 : moreProblems);
        moreProblems = more > 0 ? more : null;
        problems = List.copyOf(problems.size() > MAX_LISTED ? problems.subList(0, MAX_LISTED) : problems);
    }

    /** A problem of kind {@code slug} (e.g. {@code invalid-event}) under the project's problem type namespace. */
    public static ProblemDetails of(String slug, String title, int status, String detail, List<Problem> problems) {
        return new ProblemDetails(URI.create(TYPE_BASE + slug), title, status, detail, problems, null);
    }

    /** A problem with nothing to list. */
    public static ProblemDetails of(String slug, String title, int status, String detail) {
        return of(slug, title, status, detail, List.of());
    }

    public String toJson() {
        return new String(EventJson.write(this), StandardCharsets.UTF_8);
    }

    /** Answers the request with this problem, unless an answer has already gone out. */
    public void answer(RoutingContext context) {
        if (context.response().ended()) {
            return;
        }
        context.response().setStatusCode(status).putHeader("Content-Type", MEDIA_TYPE).end(toJson());
    }
}
