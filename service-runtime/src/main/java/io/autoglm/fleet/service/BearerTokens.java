package io.autoglm.fleet.service;

import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.json.JsonString;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies the JWT of an {@code Authorization: Bearer} header with a smallrye-jwt parser, the way every
 * service that takes tokens does (the ingress sink's callers, the device gateway's enrolment tokens and
 * device credentials): a refusal says what was wrong with the token in words of its own (expired, signed
 * by another key, ...), never the token's claims, and a token valid for longer than the service accepts
 * is refused, so a stolen token does not stay good for years.
 *
 * <p>Needs {@code io.smallrye:smallrye-jwt} (a service with {@code quarkus-smallrye-jwt} has it); this
 * module declares it optional so that services without tokens do not carry it. Thread-safe.
 */
public final class BearerTokens {

    public static final String BEARER = "Bearer ";

    private final JWTParser parser;
    private final Duration maxLifetime;
    private final Clock clock;
    private final String verifier;

    /**
     * @param verifier who verifies, for the refusals ("this sink", "this gateway")
     */
    public BearerTokens(JWTParser parser, Duration maxLifetime, Clock clock, String verifier) {
        this.parser = Objects.requireNonNull(parser, "parser");
        this.maxLifetime = Objects.requireNonNull(maxLifetime, "maxLifetime");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
    }

    /** The outcome of checking a bearer header. */
    public sealed interface Verdict {
    }

    /** The token verified and lives no longer than allowed. */
    public record Verified(JsonWebToken token) implements Verdict {
    }

    /** There was no {@code Authorization: Bearer} header. */
    public record Missing() implements Verdict {
    }

    /** The token was refused; {@code reason} says why without repeating what it claims. */
    public record Refused(String reason) implements Verdict {
    }

    /** The token of {@code authorization} (the header's value, or null), checked. */
    public Verdict verifyHeader(String authorization) {
        String token = tokenOf(authorization);
        return token == null ? new Missing() : verify(token);
    }

    /** A bare token, checked. */
    public Verdict verify(String token) {
        try {
            JsonWebToken verified = parser.parse(token);
            String refusal = lifetimeRefusal(verified);
            return refusal == null ? new Verified(verified) : new Refused(refusal);
        } catch (ParseException e) {
            return new Refused(describe(e, verifier));
        }
    }

    /** The token of a bearer header, or null when {@code authorization} is not one. */
    public static String tokenOf(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return authorization.substring(BEARER.length()).trim();
    }

    /** Why {@code token} lives too long, or null. */
    public String lifetimeRefusal(JsonWebToken token) {
        long expires = token.getExpirationTime();
        long issued = token.getIssuedAtTime();
        long now = clock.instant().getEpochSecond();
        long from = issued > 0 ? Math.min(issued, now) : now;
        if (expires - from > maxLifetime.toSeconds()) {
            return "it is valid for longer than the " + maxLifetime + " " + verifier + " accepts";
        }
        return null;
    }

    /** A string claim of the token, if it has one. */
    public static Optional<String> claim(JsonWebToken token, String name) {
        Object value = token.getClaim(name);
        if (value instanceof JsonString text) {
            return Optional.of(text.getString());
        }
        return value instanceof String text ? Optional.of(text) : Optional.empty();
    }

    /** Why a token did not verify, without repeating what it says; {@code verifier} as in "this sink". */
    public static String describe(Throwable failure, String verifier) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidJwtException invalid) {
                if (invalid.hasExpired()) {
                    return "it has expired";
                }
                if (invalid.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)) {
                    return "its signature does not verify with " + verifier + "'s key";
                }
                if (invalid.hasErrorCode(ErrorCodes.ISSUER_INVALID) || invalid.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
                    return "it is not from the issuer " + verifier + " trusts";
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
