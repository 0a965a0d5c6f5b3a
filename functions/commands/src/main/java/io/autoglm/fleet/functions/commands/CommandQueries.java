package io.autoglm.fleet.functions.commands;

import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.command.CommandRecord;
import io.autoglm.fleet.events.command.CommandState;
import io.autoglm.fleet.service.ProblemDetails;
import io.autoglm.fleet.service.TenantQueries;
import io.quarkus.vertx.web.Route;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Set;

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

    /** Resolved only for a caller who may ask: a refusal needs no broker. */
    private final Provider<CommandService> commands;
    private final TenantQueries queries;

    @Inject
    CommandQueries(Provider<CommandService> commands, JWTParser parser, CommandSettings settings) {
        this.commands = commands;
        this.queries = new TenantQueries(parser, settings.maxTokenLifetime(), settings.tenantClaim(), "the command state table");
    }

    @Route(path = "/commands/:commandId", methods = Route.HttpMethod.GET, type = Route.HandlerType.BLOCKING)
    @Route(path = "/tenants/:tenant/commands/:commandId", methods = Route.HttpMethod.GET, type = Route.HandlerType.BLOCKING)
    void command(RoutingContext context) {
        String commandId = context.pathParam("commandId");
        queries.caller(context).map(TenantQueries.Caller::tenant).ifPresent(tenant -> queries.answer(context, 200,
                () -> commands.get().command(tenant, commandId), found -> found.isPresent() ? EventJson.write(found.get()) : null,
                () -> ProblemDetails.of("unknown-command", "No such command", 404, "tenant " + tenant + " has no command " + commandId)));
    }

    @Route(path = "/devices/:deviceId/commands", methods = Route.HttpMethod.GET, type = Route.HandlerType.BLOCKING)
    @Route(path = "/tenants/:tenant/devices/:deviceId/commands", methods = Route.HttpMethod.GET, type = Route.HandlerType.BLOCKING)
    void deviceCommands(RoutingContext context) {
        Set<CommandState> states = TenantQueries.states(context, CommandState.class, "a command state");
        if (states == null) {
            return;
        }
        String deviceId = context.pathParam("deviceId");
        queries.caller(context).map(TenantQueries.Caller::tenant).ifPresent(tenant -> queries.answer(context, 200,
                () -> commands.get().commandsOf(tenant, deviceId, states), records -> EventJson.write(new DeviceCommands(tenant, deviceId, records)),
                null));
    }

    /** A device's commands, as {@code GET /devices/{deviceId}/commands} answers. */
    public record DeviceCommands(String tenant, String deviceId, List<CommandRecord> commands) {
    }
}
