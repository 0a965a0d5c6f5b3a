package io.autoglm.fleet.functions.commands;

import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.Failures;
import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.events.command.CommandRecord;
import io.autoglm.fleet.events.command.CommandState;
import io.autoglm.fleet.service.BearerTokens;
import io.autoglm.fleet.service.ProblemDetails;
import io.autoglm.fleet.service.TenantAccess;
import io.quarkus.vertx.web.Route;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The command state table over HTTP, for the caller's tenant only (the tenant claim of its bearer token, verified as the
 * ingress sink verifies its callers'):
 * <ul>
 * <li>{@code GET /commands/{commandId}} (or {@code /tenants/{tenant}/commands/{commandId}}): the command's record, its
 * history included; 404 for a command the tenant does not have;</li>
 * <li>{@code GET /devices/{deviceId}/commands?state=IN_PROGRESS&state=QUEUED} (or under {@code /tenants/{tenant}}): the
 * device's commands in those states (all without {@code state}), in dispatch order, each with its history.</li>
 * </ul>
 * 401 without a valid token, 403 for a token of another tenant than the path names (or none), 400 for an unknown state;
 * every refusal is a problem-details body, and needs no broker. The handlers run on a worker: the first lookup of a process
 * connects to Pulsar.
 */
@Singleton
public class CommandQueries {

    private static final Logger LOG = Logger.getLogger(CommandQueries.class);
    private static final String JSON = "application/json";

    /** Resolved only for a caller who may ask: a refusal needs no broker. */
    private final Provider<CommandService> commands;
    private final BearerTokens tokens;
    private final String tenantClaim;

    @Inject
    CommandQueries(Provider<CommandService> commands, JWTParser parser, CommandSettings settings) {
        this.commands = commands;
        // the wall clock, as the JWT parser checks expiry by it: the function's own clock is the commands' time
        this.tokens = new BearerTokens(parser, settings.maxTokenLifetime(), Clock.systemUTC(), "this function");
        this.tenantClaim = settings.tenantClaim();
    }

    @Route(path = "/commands/:commandId", methods = Route.HttpMethod.GET, type = Route.HandlerType.BLOCKING)
    @Route(path = "/tenants/:tenant/commands/:commandId", methods = Route.HttpMethod.GET, type = Route.HandlerType.BLOCKING)
    void command(RoutingContext context) {
        String commandId = context.pathParam("commandId");
        tenantOf(context).ifPresent(tenant -> answer(context, () -> commands.get().command(tenant, commandId), found -> found.isPresent()
                ? EventJson.write(found.get())
                : null, () -> ProblemDetails.of("unknown-command", "No such command", 404, "tenant " + tenant + " has no command "
                + commandId)));
    }

    @Route(path = "/devices/:deviceId/commands", methods = Route.HttpMethod.GET, type = Route.HandlerType.BLOCKING)
    @Route(path = "/tenants/:tenant/devices/:deviceId/commands", methods = Route.HttpMethod.GET, type = Route.HandlerType.BLOCKING)
    void deviceCommands(RoutingContext context) {
        Set<CommandState> states = EnumSet.noneOf(CommandState.class);
        List<Problem> problems = new ArrayList<>();
        for (String asked : context.queryParam("state")) {
            for (String name : asked.split(",")) {
                try {
                    states.add(CommandState.valueOf(name.trim().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    problems.add(new Problem("query.state", "'" + name + "' is not a command state; one of " + List.of(CommandState.values())));
                }
            }
        }
        if (!problems.isEmpty()) {
            ProblemDetails.of("invalid-query", "Invalid query", 400, problems.get(0).message(), problems).answer(context);
            return;
        }
        String deviceId = context.pathParam("deviceId");
        tenantOf(context).ifPresent(tenant -> answer(context, () -> commands.get().commandsOf(tenant, deviceId, states),
                records -> EventJson.write(new DeviceCommands(tenant, deviceId, records)), null));
    }

    /** A device's commands, as {@code GET /devices/{deviceId}/commands} answers. */
    public record DeviceCommands(String tenant, String deviceId, List<CommandRecord> commands) {
    }

    /** The caller's tenant, or empty once the request has been answered with why not. */
    private Optional<String> tenantOf(RoutingContext context) {
        BearerTokens.Verdict verdict = tokens.verifyHeader(context.request().getHeader("Authorization"));
        if (verdict instanceof BearerTokens.Verified verified) {
            TenantAccess.Decision access = TenantAccess.decide(tenantClaim, BearerTokens.claim(verified.token(), tenantClaim),
                    Optional.ofNullable(context.pathParam("tenant")));
            if (access.allowed()) {
                return Optional.of(access.tenant());
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

    private static <T> void answer(RoutingContext context, Supplier<CompletableFuture<T>> lookup, Function<T, byte[]> body,
                                   Supplier<ProblemDetails> absent) {
        CompletableFuture<T> looking;
        try {
            looking = lookup.get();
        } catch (RuntimeException e) { // the broker not reachable when the table is first needed
            looking = CompletableFuture.failedFuture(e);
        }
        looking.whenComplete((found, failure) -> {
            if (failure != null) {
                LOG.warnf("a query failed: %s", Failures.unwrap(failure).toString());
                ProblemDetails.of("unavailable", "State not available", 503, "the command state table did not open; retry").answer(context);
                return;
            }
            byte[] json = body.apply(found);
            if (json == null) {
                absent.get().answer(context);
            } else if (!context.response().ended()) {
                context.response().setStatusCode(200).putHeader("Content-Type", JSON).end(Buffer.buffer(json));
            }
        });
    }
}
