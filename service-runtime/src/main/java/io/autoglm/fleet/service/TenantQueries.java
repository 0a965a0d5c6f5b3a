package io.autoglm.fleet.service;

import io.autoglm.fleet.events.Failures;
import io.autoglm.fleet.events.Problem;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What a function's HTTP queries over its state tables share: the caller's tenant from its bearer token (verified as the
 * ingress sink verifies its callers', the tenant claim checked against a {@code /tenants/{tenant}} path), a {@code state}
 * filter read from the query, and an answer that is the JSON of what a lookup finds, a problem when it finds nothing, or 503
 * when the table did not open. Every refusal is a problem-details body.
 */
public final class TenantQueries {

    private static final String JSON = "application/json";
    private static final System.Logger LOG = System.getLogger(TenantQueries.class.getName());

    private final BearerTokens tokens;
    private final String tenantClaim;
    private final String table;

    /**
     * @param tenantClaim the JWT claim naming the caller's tenant
     * @param table       the state the queries read, for a 503's words ("the command state table")
     */
    public TenantQueries(JWTParser parser, Duration maxTokenLifetime, String tenantClaim, String table) {
        // a token's lifetime by the wall clock, as the JWT parser checks its expiry: a function's own clock is its domain's time
        this.tokens = new BearerTokens(parser, maxTokenLifetime, Clock.systemUTC(), "this function");
        this.tenantClaim = Objects.requireNonNull(tenantClaim, "tenantClaim");
        this.table = Objects.requireNonNull(table, "table");
    }

    /** Who asks: the tenant it may see, and its verified token. */
    public record Caller(String tenant, JsonWebToken token) {
    }

    /** The caller, or empty once the request has been answered 401 or 403 with why not. */
    public Optional<Caller> caller(RoutingContext context) {
        BearerTokens.Verdict verdict = tokens.verifyHeader(context.request().getHeader("Authorization"));
        if (verdict instanceof BearerTokens.Verified verified) {
            TenantAccess.Decision access = TenantAccess.decide(tenantClaim, BearerTokens.claim(verified.token(), tenantClaim),
                    Optional.ofNullable(context.pathParam("tenant")));
            if (access.allowed()) {
                return Optional.of(new Caller(access.tenant(), verified.token()));
            }
            ProblemDetails.of("forbidden", "Forbidden", 403, access.refusal()).answer(context);
            return Optional.empty();
        }
        String detail = verdict instanceof BearerTokens.Refused refused ? "the bearer token was refused (" + refused.reason() + ")"
                : "send a JWT for your tenant as 'Authorization: Bearer <token>'";
        context.response().putHeader("WWW-Authenticate", verdict instanceof BearerTokens.Refused ? "Bearer error=\"invalid_token\"" : "Bearer");
        ProblemDetails.of("unauthenticated", "Unauthenticated", 401, detail).answer(context);
        return Optional.empty();
    }

    /**
     * The states the query asks for ({@code ?state=A&state=B} or {@code ?state=A,B}, any case; none: empty), or null once the
     * request has been answered 400 naming each unknown one.
     */
    public static <S extends Enum<S>> Set<S> states(RoutingContext context, Class<S> type, String what) {
        Set<S> states = EnumSet.noneOf(type);
        List<Problem> problems = new ArrayList<>();
        for (String asked : context.queryParam("state")) {
            for (String name : asked.split(",")) {
                try {
                    states.add(Enum.valueOf(type, name.trim().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    problems.add(new Problem("query.state", "'" + name + "' is not " + what + "; one of " + List.of(type.getEnumConstants())));
                }
            }
        }
        if (!problems.isEmpty()) {
            ProblemDetails.of("invalid-query", "Invalid query", 400, problems.get(0).message(), problems).answer(context);
            return null;
        }
        return states;
    }

    /**
     * Answers with {@code body} of what {@code lookup} finds ({@code status}), {@code absent}'s problem when {@code body} gives
     * null, 503 when the lookup fails (the broker not reachable when the table is first needed).
     */
    public <T> void answer(RoutingContext context, int status, Supplier<CompletableFuture<T>> lookup, Function<T, byte[]> body,
                           Supplier<ProblemDetails> absent) {
        CompletableFuture<T> looking;
        try {
            looking = lookup.get();
        } catch (RuntimeException e) {
            looking = CompletableFuture.failedFuture(e);
        }
        looking.whenComplete((found, failure) -> {
            if (failure != null) {
                unavailable(context, failure);
                return;
            }
            byte[] json = body.apply(found);
            if (json == null) {
                absent.get().answer(context);
            } else {
                json(context, status, json);
            }
        });
    }

    /** 503: the table did not open (or a write to it failed); the caller may retry. */
    public void unavailable(RoutingContext context, Throwable failure) {
        LOG.log(System.Logger.Level.WARNING, "a query failed: {0}", Failures.unwrap(failure).toString());
        ProblemDetails.of("unavailable", "State not available", 503, table + " did not open; retry").answer(context);
    }

    /** Answers {@code status} with a JSON body, unless the request was answered already. */
    public static void json(RoutingContext context, int status, byte[] json) {
        if (!context.response().ended()) {
            context.response().setStatusCode(status).putHeader("Content-Type", JSON).end(Buffer.buffer(json));
        }
    }
}
