package io.autoglm.fleet.events.agent;

import java.util.Objects;

/**
 * A model reply that is not one action of the grammar: the raw text and what was wrong with it, so the
 * step can be retried or the task failed with a reason (never silently turned into {@code finish}).
 */
public final class UnparseableReplyException extends Exception {

    private final String raw;
    private final String reason;

    public UnparseableReplyException(String raw, String reason) {
        super(reason);
        this.raw = raw;
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** The reply as the model gave it (may be null or empty). */
    public String raw() {
        return raw;
    }

    /** What was wrong, as a sentence ({@code "Tap needs 'element'"}). */
    public String reason() {
        return reason;
    }
}
