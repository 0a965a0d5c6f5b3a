package io.autoglm.fleet.inference;

import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.events.inference.FailureReason;

import java.util.List;
import java.util.Objects;

/**
 * Why an inference request was not answered, in the contract's terms: a {@link FailureReason} and
 * every {@link Problem} found. The one failure type of the inference tier, from the batcher up to the
 * HTTP edge, which maps the reason to a status code ({@code InferenceProblems}).
 */
public final class InferenceFailure extends RuntimeException {

    private final FailureReason reason;
    private final List<Problem> problems;
    /** Set when a model version stopped taking requests because a newer one replaced it: retry on the new one. */
    private final boolean superseded;

    private InferenceFailure(FailureReason reason, String message, List<Problem> problems, boolean superseded, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.problems = List.copyOf(problems);
        this.superseded = superseded;
    }

    /** The request is wrong: every problem names its place in the request ({@code data.texts[2]}). */
    public static InferenceFailure badRequest(List<Problem> problems) {
        String message = problems.size() == 1 ? problems.get(0).message() : problems.size() + " problems: " + problems.get(0).message() + "; ...";
        return new InferenceFailure(FailureReason.BAD_REQUEST, message, problems, false, null);
    }

    public static InferenceFailure badRequest(String location, String message) {
        return badRequest(List.of(new Problem(location, message)));
    }

    public static InferenceFailure unknownModel(String message) {
        return new InferenceFailure(FailureReason.UNKNOWN_MODEL, message, List.of(new Problem("data.model", message)), false, null);
    }

    public static InferenceFailure capacity(String message) {
        return new InferenceFailure(FailureReason.CAPACITY, message, List.of(), false, null);
    }

    public static InferenceFailure notReady(String message) {
        return new InferenceFailure(FailureReason.NOT_READY, message, List.of(), false, null);
    }

    /** The instance is draining because a newer version took over; the caller retries on the current one. */
    public static InferenceFailure superseded(String message) {
        return new InferenceFailure(FailureReason.NOT_READY, message, List.of(), true, null);
    }

    public static InferenceFailure timeout(String message) {
        return new InferenceFailure(FailureReason.TIMEOUT, message, List.of(), false, null);
    }

    /** A remote backend that did not answer through every retry. */
    public static InferenceFailure backendUnavailable(String message) {
        return new InferenceFailure(FailureReason.BACKEND_UNAVAILABLE, message, List.of(), false, null);
    }

    /** A remote backend that refused the version's credential. */
    public static InferenceFailure credentialRefused(String message) {
        return new InferenceFailure(FailureReason.CREDENTIAL_REFUSED, message, List.of(), false, null);
    }

    public static InferenceFailure internal(String message, Throwable cause) {
        return new InferenceFailure(FailureReason.INTERNAL, message, List.of(), false, cause);
    }

    public FailureReason reason() {
        return reason;
    }

    public List<Problem> problems() {
        return problems;
    }

    public boolean superseded() {
        return superseded;
    }

    /** The caller's fault: retrying the same request cannot help. */
    public boolean callersFault() {
        return reason == FailureReason.BAD_REQUEST || reason == FailureReason.UNKNOWN_MODEL;
    }

    /** The failure behind {@code t}, however a future wrapped it; an internal failure for anything else. */
    public static InferenceFailure of(Throwable t) {
        for (Throwable cause = t; cause != null; cause = cause.getCause()) {
            if (cause instanceof InferenceFailure failure) {
                return failure;
            }
        }
        return internal("the model failed: " + t, t);
    }
}
