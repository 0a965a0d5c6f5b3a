package io.autoglm.fleet.functions.inference;

import io.autoglm.fleet.inference.InferenceFailure;
import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.inference.FailureReason;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Answers a failed inference with its status and an RFC 9457 problem body (see
 * {@link InferenceFunction} for the mapping). The body carries the contract's failure fields as
 * extension members ({@code reason}, {@code problems}), so a dead-lettered request says why.
 * Registered ahead of every other failure handler (the runtime's generic one included), it passes on
 * anything that is not an inference failure.
 */
@Singleton
public class InferenceProblems {

    /** Before the annotated failure routes, whose order Vert.x assigns from 0 upwards. */
    static final int ORDER = -1000;

    private static final Logger LOG = Logger.getLogger(InferenceProblems.class);
    static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://autoglm.io/problems/inference-";

    void register(@Observes Router router) {
        router.route().order(ORDER).failureHandler(this::failure);
    }

    void failure(RoutingContext context) {
        InferenceFailure failure = find(context.failure());
        if (failure == null || context.response().ended()) {
            context.next();
            return;
        }
        int status = status(failure.reason());
        String detail = failure.getMessage();
        if (status >= 500 && failure.reason() == FailureReason.INTERNAL) {
            String id = UUID.randomUUID().toString();
            LOG.errorf(failure, "inference failed (error id %s)", id);
            detail = "the model failed; retry later (error id " + id + ")";
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_BASE + failure.reason().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        body.put("title", title(failure.reason()));
        body.put("status", status);
        body.put("detail", detail);
        body.put("reason", failure.reason());
        body.put("problems", failure.problems());
        if (status == 429 || status == 503) {
            context.response().putHeader("Retry-After", "1");
        }
        context.response()
                .setStatusCode(status)
                .putHeader("Content-Type", MEDIA_TYPE)
                .end(new String(EventJson.write(body), java.nio.charset.StandardCharsets.UTF_8));
    }

    static int status(FailureReason reason) {
        return switch (reason) {
            case BAD_REQUEST, UNKNOWN_MODEL -> 400;
            case CAPACITY -> 429;
            case NOT_READY -> 503;
            case TIMEOUT -> 504;
            case INTERNAL -> 500;
            case BACKEND_UNAVAILABLE, CREDENTIAL_REFUSED -> 502;
        };
    }

    private static String title(FailureReason reason) {
        return switch (reason) {
            case BAD_REQUEST -> "Bad inference request";
            case UNKNOWN_MODEL -> "Model not served here";
            case CAPACITY -> "Model at capacity";
            case NOT_READY -> "Model not ready";
            case TIMEOUT -> "Inference timed out";
            case INTERNAL -> "Inference failed";
            case BACKEND_UNAVAILABLE -> "Model backend unavailable";
            case CREDENTIAL_REFUSED -> "Model backend refused the credential";
        };
    }

    private static InferenceFailure find(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InferenceFailure inference) {
                return inference;
            }
        }
        return null;
    }
}
