package io.autoglm.fleet.events.inference;

import io.autoglm.fleet.events.Problem;

import java.util.List;
import java.util.Objects;

/** Payload of {@code io.autoglm.inference.failed}: the reason class, a summary, and every problem found. */
public record InferenceFailed(String requestId, String model, FailureReason reason, String message, List<Problem> problems) {
    public InferenceFailed {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        problems = problems == null ? List.of() : List.copyOf(problems);
    }
}
