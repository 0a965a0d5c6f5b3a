package io.autoglm.fleet.inference.remote;

import java.time.Duration;

/** What went wrong with one call to a remote backend, and whether another attempt may go better. */
final class BackendException extends RuntimeException {

    enum Kind {
        /** Refused connections, 5xx, 429, a stream cut short or not the protocol: another attempt may succeed. */
        RETRYABLE,
        /** 401/403: the credential is refused; no attempt will succeed until an operator fixes it. */
        CREDENTIAL,
        /** Another 4xx: the backend refuses this request as it is. */
        REFUSED,
        /** No first token, or no end of the reply, in time. */
        TIMEOUT
    }

    private final Kind kind;
    private final Duration retryAfter;

    BackendException(Kind kind, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.kind = kind;
        this.retryAfter = retryAfter;
    }

    BackendException(Kind kind, String message) {
        this(kind, message, null);
    }

    Kind kind() {
        return kind;
    }

    /** What the backend asked for with {@code Retry-After}, or null. */
    Duration retryAfter() {
        return retryAfter;
    }
}
