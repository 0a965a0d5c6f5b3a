package io.autoglm.fleet.triggers.dispatch;

import io.autoglm.fleet.events.Failures;

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.TimeoutException;

/**
 * What one delivery attempt came to, and whether trying again can help. A 2xx is delivered; 5xx,
 * 408, 429, timeouts and failed requests are worth retrying; any other 4xx (and 3xx) is the event's
 * or the Trigger's fault and goes straight to the dead letters. (Knative also retries 404 and 409;
 * here a 404 means the function does not handle the type, which retrying cannot fix.) A subscriber
 * that could not be connected to at all is {@link Unreachable}: the event is not at fault, and the
 * Trigger pauses ({@link DeliveryPause}) instead of spending the event's attempts.
 */
public sealed interface AttemptOutcome {

    /** The subscriber took the event. */
    record Delivered(SubscriberResponse response) implements AttemptOutcome {
        public Delivered {
            Objects.requireNonNull(response, "response");
        }
    }

    /**
     * The attempt failed.
     *
     * @param status    the subscriber's HTTP status, when it answered
     * @param reason    a sentence saying what happened, for the dead letter
     * @param retryable whether another attempt may succeed
     */
    record Failed(OptionalInt status, String reason, boolean retryable) implements AttemptOutcome {
        public Failed {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(reason, "reason");
        }

        /** The reason without what differs from one event to the next (the answer's body): failures of one kind log as one. */
        public String kind() {
            return status.isPresent() ? "HTTP " + status.getAsInt() : reason;
        }
    }

    /**
     * No connection to the subscriber could be opened (refused, no route, connect timeout): it is down
     * or not there yet, whatever the event.
     *
     * @param reason a sentence saying what happened
     */
    record Unreachable(String reason) implements AttemptOutcome {
        public Unreachable {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Longest part of a subscriber's answer body quoted in a failure reason. */
    int QUOTED_BODY = 512;

    /** Classifies an answer ({@code failure} null) or the lack of one ({@code response} null). */
    static AttemptOutcome of(SubscriberResponse response, Throwable failure, Duration timeout) {
        if (failure != null) {
            Throwable cause = Failures.unwrap(failure);
            if (cause instanceof TimeoutException) { // the client's idle timeout is one too
                return new Failed(OptionalInt.empty(), "no answer within " + timeout, true);
            }
            if (cause instanceof ConnectException) { // Netty's connect timeout is one too
                return new Unreachable("cannot connect: " + (cause.getMessage() == null ? cause.toString() : cause.getMessage()));
            }
            return new Failed(OptionalInt.empty(), "the request failed: " + cause, true);
        }
        int status = response.status();
        if (response.successful()) {
            return new Delivered(response);
        }
        boolean retryable = status >= 500 || status == 408 || status == 429;
        return new Failed(OptionalInt.of(status), "HTTP " + status + bodyExcerpt(response.body()), retryable);
    }

    private static String bodyExcerpt(byte[] body) {
        if (body.length == 0) {
            return "";
        }
        String text = new String(body, 0, Math.min(body.length, QUOTED_BODY * 4), StandardCharsets.UTF_8);
        return ": " + (text.length() > QUOTED_BODY ? text.substring(0, QUOTED_BODY) + "..." : text);
    }
}
