package io.autoglm.fleet.events.session;

import io.autoglm.fleet.events.Problem;

import java.util.List;
import java.util.Objects;

/**
 * Payload of {@code io.autoglm.gateway.error}: the gateway refused a frame; nothing of it was written.
 * {@code code} is a stable word to branch on ({@code invalid-json}, {@code invalid-event},
 * {@code not-yours}, {@code not-allowed}, {@code unknown-type}, {@code too-large}, {@code unavailable}),
 * {@code eventId} the refused event's id when it had one, {@code problems} what was wrong, field by field.
 */
public record GatewayError(String code, String message, String eventId, List<Problem> problems) {
    public GatewayError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        problems = problems == null ? List.of() : List.copyOf(problems);
    }
}
