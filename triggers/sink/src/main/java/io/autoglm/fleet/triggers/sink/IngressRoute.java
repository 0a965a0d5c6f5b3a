package io.autoglm.fleet.triggers.sink;

import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.validation.EventValidator;
import io.autoglm.fleet.events.validation.HttpEvents;
import io.autoglm.fleet.triggers.ingress.EventIngress;
import io.autoglm.fleet.triggers.ingress.IngressUnavailableException;
import io.autoglm.fleet.triggers.ingress.Submission;
import io.cloudevents.CloudEvent;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.quarkus.vertx.web.Route;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import jakarta.json.JsonString;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * The ingress sink's HTTP edge: {@code POST /} and {@code POST /tenants/<tenant>} take CloudEvents in
 * binary, structured or batch mode from a caller with a JWT bearer token, and answer
 * <ul>
 * <li>202 once Pulsar has acknowledged every event (body: how many, and their ids);</li>
 * <li>400 naming every problem of every event, and nothing written (a batch is all or nothing);</li>
 * <li>401 without a valid token, 403 for another tenant's topics;</li>
 * <li>413 over the body size limit;</li>
 * <li>503 when Pulsar did not take the events: nothing written (several events go in one
 * transaction), the caller sends again.</li>
 * </ul>
 */
public class IngressRoute {

    private static final Logger LOG = Logger.getLogger(IngressRoute.class);

    private final EventIngress ingress;
    private final SinkSettings settings;
    private final String bodyLimit;
    private final EventValidator validator = EventValidator.standard();

    IngressRoute(EventIngress ingress, SinkSettings settings,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") String bodyLimit) {
        this.ingress = ingress;
        this.settings = settings;
        this.bodyLimit = bodyLimit;
    }

    /** What the sink answers with 202. */
    public record Accepted(int accepted, String tenant, List<String> ids) {
    }

    @Route(path = "/", methods = Route.HttpMethod.POST)
    void ingestForTokenTenant(RoutingContext context) {
        ingest(context, Optional.empty());
    }

    @Route(path = "/tenants/:tenant", methods = Route.HttpMethod.POST)
    void ingestForTenant(RoutingContext context) {
        ingest(context, Optional.of(context.pathParam("tenant")));
    }

    /** Bodies over the limit fail before a route runs: answer them with a problem, not an empty 413. */
    @Route(path = "/*", type = Route.HandlerType.FAILURE, order = 1)
    void failure(RoutingContext context) {
        if (context.statusCode() == 413) {
            respond(context, SinkProblem.tooLarge(bodyLimit));
        } else {
            context.next();
        }
    }

    private void ingest(RoutingContext context, Optional<String> pathTenant) {
        Uni<SecurityIdentity> identity = context.get(QuarkusHttpUser.DEFERRED_IDENTITY_KEY);
        if (identity == null) {
            respond(context, SinkProblem.unauthenticated("no authentication mechanism is configured"));
            return;
        }
        identity.subscribe().with(
                caller -> authorised(context, caller, pathTenant),
                failure -> respond(context, SinkProblem.unauthenticated("the bearer token was refused: " + failure.getMessage()
                        + "; get a token for your tenant and send it as 'Authorization: Bearer <token>'")));
    }

    private void authorised(RoutingContext context, SecurityIdentity caller, Optional<String> pathTenant) {
        if (caller.isAnonymous() || !(caller.getPrincipal() instanceof JsonWebToken token)) {
            context.response().putHeader("WWW-Authenticate", "Bearer");
            respond(context, SinkProblem.unauthenticated("send a JWT for your tenant as 'Authorization: Bearer <token>'"));
            return;
        }
        TenantAccess.Decision access = TenantAccess.decide(settings.tenantClaim(), claim(token, settings.tenantClaim()), pathTenant);
        if (!access.allowed()) {
            respond(context, SinkProblem.forbidden(access.refusal()));
            return;
        }
        Buffer body = context.body() == null ? null : context.body().buffer();
        String contentType = context.request().getHeader("Content-Type");
        Submission submission = Submission.of(HttpEvents.read(validator, context.request().headers(),
                body == null ? new byte[0] : body.getBytes()), HttpEvents.Mode.of(contentType) == HttpEvents.Mode.BATCH);
        if (!submission.valid()) {
            LOG.debugf("refused %d problem(s) from tenant %s", submission.problems().size(), access.tenant());
            respond(context, SinkProblem.invalidEvents(submission.problems()));
            return;
        }
        List<CloudEvent> events = submission.events();
        ingress.publishAll(events, access.tenant()).whenComplete((written, failure) -> {
            if (failure == null) {
                context.response().setStatusCode(202).putHeader("Content-Type", "application/json")
                        .end(new String(EventJson.write(new Accepted(events.size(), access.tenant(),
                                events.stream().map(CloudEvent::getId).toList())), StandardCharsets.UTF_8));
                return;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof IngressUnavailableException) {
                LOG.warnf("503 for %d event(s) of tenant %s: %s", events.size(), access.tenant(), cause.getMessage());
                context.response().putHeader("Retry-After", "1");
                respond(context, SinkProblem.unavailable(cause.getMessage()));
            } else {
                context.fail(cause);
            }
        });
    }

    private static Optional<String> claim(JsonWebToken token, String name) {
        Object value = token.getClaim(name);
        if (value instanceof JsonString text) {
            return Optional.of(text.getString());
        }
        return value instanceof String text ? Optional.of(text) : Optional.empty();
    }

    private static void respond(RoutingContext context, SinkProblem problem) {
        if (context.response().ended()) {
            return;
        }
        context.response().setStatusCode(problem.status()).putHeader("Content-Type", SinkProblem.MEDIA_TYPE).end(problem.toJson());
    }
}
