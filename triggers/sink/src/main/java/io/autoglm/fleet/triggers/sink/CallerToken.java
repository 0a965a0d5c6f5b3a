package io.autoglm.fleet.triggers.sink;

import io.autoglm.fleet.service.BearerTokens;
import io.autoglm.fleet.service.BodyAdmission;
import io.autoglm.fleet.service.ProblemDetails;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.time.Clock;
import java.time.Duration;

/**
 * Verifies the caller's bearer token ({@link BearerTokens}) before a byte of the body is read
 * ({@link BodyAdmission}), and leaves the verified token in the request's context for {@link IngressRoute}.
 * A token that is valid for longer than {@code autoglm.sink.max-token-lifetime} is refused.
 */
@Singleton
public class CallerToken implements BodyAdmission {

    private static final String KEY = CallerToken.class.getName();

    private final BearerTokens tokens;
    private final SinkMetrics metrics;

    @Inject
    CallerToken(JWTParser parser, SinkSettings settings, SinkMetrics metrics) {
        this(parser, settings.maxTokenLifetime(), Clock.systemUTC(), metrics);
    }

    CallerToken(JWTParser parser, Duration maxLifetime, Clock clock, SinkMetrics metrics) {
        this.tokens = new BearerTokens(parser, maxLifetime, clock, "this sink");
        this.metrics = metrics;
    }

    /** The verified token of the request, once admitted. */
    static JsonWebToken of(RoutingContext context) {
        return context.get(KEY);
    }

    @Override
    public ProblemDetails admit(RoutingContext context) {
        BearerTokens.Verdict verdict = tokens.verifyHeader(context.request().getHeader("Authorization"));
        if (verdict instanceof BearerTokens.Verified verified) {
            context.put(KEY, verified.token());
            return null;
        }
        metrics.refused(SinkMetrics.Refusal.UNAUTHENTICATED, null);
        if (verdict instanceof BearerTokens.Refused refused) {
            context.response().putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            return SinkProblem.unauthenticated("the bearer token was refused (" + refused.reason()
                    + "); get a token for your tenant and send it as 'Authorization: Bearer <token>'");
        }
        context.response().putHeader("WWW-Authenticate", "Bearer");
        return SinkProblem.unauthenticated("send a JWT for your tenant as 'Authorization: Bearer <token>'");
    }

    /** Why {@code token} lives too long, or null. */
    String lifetimeRefusal(JsonWebToken token) {
        return tokens.lifetimeRefusal(token);
    }

    /** Why a token did not verify, without repeating what it says. */
    static String describe(Throwable failure) {
        return BearerTokens.describe(failure, "this sink");
    }
}
