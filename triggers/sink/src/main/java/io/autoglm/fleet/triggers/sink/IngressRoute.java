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
import io.quarkus.vertx.web.RouteFilter;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.json.JsonString;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;

/**
 * The ingress sink's HTTP edge: {@code POST /} and {@code POST /tenants/<tenant>} take CloudEvents in
 * binary, structured or batch mode from a caller with a JWT bearer token ({@code POST /dead-letters}
 * takes failed events for the tenant's dead-letter topic), and answer
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
            @ConfigProperty(name = "autoglm.sink.max-body-size", defaultValue = "1M") String bodyLimit) {
        this.ingress = ingress;
        this.settings = settings;
        this.bodyLimit = bodyLimit;
    }

    /** What the sink answers with 202. */
    public record Accepted(int accepted, String tenant, List<String> ids) {
    }

    @Route(path = "/", methods = Route.HttpMethod.POST)
    void ingestForTokenTenant(RoutingContext context) {
        ingest(context, Optional.empty(), false);
    }

    @Route(path = "/tenants/:tenant", methods = Route.HttpMethod.POST)
    void ingestForTenant(RoutingContext context) {
        ingest(context, Optional.of(context.pathParam("tenant")), false);
    }

    /**
     * A Knative {@code deadLetterSink}: events a sender gave up on (with their {@code knativeerror*}
     * extensions) go to the tenant's dead-letter topic, where the dispatcher puts its own.
     */
    @Route(path = "/dead-letters", methods = Route.HttpMethod.POST)
    void deadLetters(RoutingContext context) {
        ingest(context, Optional.empty(), true);
    }

    /** Refuses a body that says it is over the limit before it is read. */
    @RouteFilter(100)
    void refuseLargeBodies(RoutingContext context) {
        String length = context.request().getHeader("Content-Length");
        if (context.request().method() == HttpMethod.POST && length != null && tooLarge(Long.parseLong(length.trim()))) {
            context.response().putHeader("Connection", "close");
            respond(context, SinkProblem.tooLarge(bodyLimit));
            return;
        }
        context.next();
    }

    private boolean tooLarge(long length) {
        return length > settings.maxBodySize().asLongValue();
    }

    private void ingest(RoutingContext context, Optional<String> pathTenant, boolean deadLetters) {
        Buffer body = context.body() == null ? null : context.body().buffer();
        if (body != null && tooLarge(body.length())) {
            respond(context, SinkProblem.tooLarge(bodyLimit));
            return;
        }
        Uni<SecurityIdentity> identity = context.get(QuarkusHttpUser.DEFERRED_IDENTITY_KEY);
        if (identity == null) {
            respond(context, SinkProblem.unauthenticated("no authentication mechanism is configured"));
            return;
        }
        // this route answers a refused token itself, with a problem body, instead of Quarkus's empty 401
        context.put(QuarkusHttpUser.AUTH_FAILURE_HANDLER, (BiConsumer<RoutingContext, Throwable>) (ignored, failure) -> { });
        identity.subscribe().with(
                caller -> authorised(context, caller, pathTenant, body, deadLetters),
                failure -> {
                    context.response().putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
                    respond(context, SinkProblem.unauthenticated("the bearer token was refused (" + describe(failure)
                            + "); get a token for your tenant and send it as 'Authorization: Bearer <token>'"));
                });
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    private void authorised(RoutingContext context, SecurityIdentity caller, Optional<String> pathTenant, Buffer body,
            boolean deadLetters) {
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
        String contentType = context.request().getHeader("Content-Type");
        Submission submission = Submission.of(HttpEvents.read(validator, context.request().headers(),
                body == null ? new byte[0] : body.getBytes()), HttpEvents.Mode.of(contentType) == HttpEvents.Mode.BATCH);
        if (!submission.valid()) {
            LOG.debugf("refused %d problem(s) from tenant %s", submission.problems().size(), access.tenant());
            respond(context, SinkProblem.invalidEvents(submission.problems()));
            return;
        }
        List<CloudEvent> events = submission.events();
        (deadLetters ? ingress.deadLetterAll(events, access.tenant()) : ingress.publishAll(events, access.tenant()))
                .whenComplete((written, failure) -> {
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
