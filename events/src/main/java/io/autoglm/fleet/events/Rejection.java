package io.autoglm.fleet.events;

import java.util.List;
import java.util.Objects;

/**
 * Payload of every {@code *.rejected} event: which request was refused and every reason why.
 *
 * @param requestId   the id of the event that was rejected
 * @param requestType its type
 * @param subject     what the request was about (device id, command id, batch id), when known
 * @param problems    every reason, each a sentence a person can act on
 */
public record Rejection(String requestId, String requestType, String subject, List<Problem> problems) {
    public Rejection {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(requestType, "requestType");
        problems = List.copyOf(problems);
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a rejection needs at least one problem");
        }
    }
}
