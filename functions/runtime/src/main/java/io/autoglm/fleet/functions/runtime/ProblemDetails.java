package io.autoglm.fleet.functions.runtime;

import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.Problem;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * An RFC 9457 problem-details body ({@code application/problem+json}), with the contract's
 * {@link Problem}s as the {@code problems} extension member so a caller sees every reason at once.
 */
public record ProblemDetails(URI type, String title, int status, String detail, List<Problem> problems) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://autoglm.io/problems/";

    public ProblemDetails {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
        problems = problems == null ? List.of() : List.copyOf(problems);
    }

    /** A problem of kind {@code slug} (e.g. {@code invalid-event}) under the project's problem type namespace. */
    public static ProblemDetails of(String slug, String title, int status, String detail, List<Problem> problems) {
        return new ProblemDetails(URI.create(TYPE_BASE + slug), title, status, detail, problems);
    }

    public String toJson() {
        return new String(EventJson.write(this), java.nio.charset.StandardCharsets.UTF_8);
    }
}
