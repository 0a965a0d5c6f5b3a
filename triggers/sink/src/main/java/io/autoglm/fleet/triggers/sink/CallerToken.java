package io.autoglm.fleet.triggers.sink;

import io.autoglm.fleet.service.BodyAdmission;
import io.autoglm.fleet.service.ProblemDetails;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;

import java.time.Clock;
import java.time.Duration;

/**
 * Verifies the caller's bearer token before a byte of the body is read ({@link BodyAdmission}), and
 * leaves the verified token in the request's context for {@link IngressRoute}. A refusal says what was
 * wrong with the token in words of its own (expired, signed by another key, ...), never the token's
 * claims. A token that is valid for longer than {@code autoglm.sink.max-token-lifetime} is refused:
 * a stolen token must not stay good for years.
 */
@Singleton
public class CallerToken implements BodyAdmission {

    private static final String KEY = CallerToken.class.getName();
    private static final String BEARER = "Bearer ";

    private final JWTParser parser;
    private final Duration maxLifetime;
    private final Clock clock;

    @Inject
    CallerToken(JWTParser parser, SinkSettings settings) {
        this(parser, settings.maxTokenLifetime(), Clock.systemUTC());
    }

    CallerToken(JWTParser parser, Duration maxLifetime, Clock clock) {
        this.parser = parser;
        this.maxLifetime = maxLifetime;
        this.clock = clock;
    }

    /** The verified token of the request, once admitted. */
    static JsonWebToken of(RoutingContext context) {
        return context.get(KEY);
    }

    @Override
    public ProblemDetails admit(RoutingContext context) {
        String header = context.request().getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            context.response().putHeader("WWW-Authenticate", "Bearer");
            return SinkProblem.unauthenticated("send a JWT for your tenant as 'Authorization: Bearer <token>'");
        }
        String refusal;
        try {
            JsonWebToken token = parser.parse(header.substring(BEARER.length()).trim());
            refusal = lifetimeRefusal(token);
            if (refusal == null) {
                context.put(KEY, token);
                return null;
            }
        } catch (ParseException e) {
            refusal = describe(e);
        }
        context.response().putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        return SinkProblem.unauthenticated("the bearer token was refused (" + refusal
                + "); get a token for your tenant and send it as 'Authorization: Bearer <token>'");
    }

    /** Why {@code token} lives too long, or null. */
    String lifetimeRefusal(JsonWebToken token) {
        long expires = token.getExpirationTime();
        long issued = token.getIssuedAtTime();
        long from = issued > 0 ? Math.min(issued, clock.instant().getEpochSecond()) : clock.instant().getEpochSecond();
        if (expires - from > maxLifetime.toSeconds()) {
            return "it is valid for longer than the " + maxLifetime + " this sink accepts";
        }
        return null;
    }

    /** Why a token did not verify, without repeating what it says. */
    static String describe(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidJwtException invalid) {
                if (invalid.hasExpired()) {
                    return "it has expired";
                }
                if (invalid.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)) {
                    return "its signature does not verify with this sink's key";
                }
                if (invalid.hasErrorCode(ErrorCodes.ISSUER_INVALID) || invalid.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
                    return "it is not from the issuer this sink trusts";
                }
                if (invalid.hasErrorCode(ErrorCodes.NOT_YET_VALID)) {
                    return "it is not valid yet";
                }
                if (invalid.hasErrorCode(ErrorCodes.MISCELLANEOUS) || invalid.hasErrorCode(ErrorCodes.JSON_INVALID)
                        || invalid.hasErrorCode(ErrorCodes.SIGNATURE_MISSING)) {
                    return "it is not a signed JWT";
                }
                if (invalid.hasErrorCode(ErrorCodes.EXPIRATION_MISSING)) {
                    return "it has no expiry ('exp')";
                }
                return "its claims are not valid";
            }
        }
        return "it is not a signed JWT";
    }
}
