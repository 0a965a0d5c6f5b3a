package io.autoglm.fleet.triggers.sink;

import io.autoglm.fleet.events.Failures;
import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.validation.EventValidator;
import io.autoglm.fleet.events.validation.HttpEvents;
import io.autoglm.fleet.service.BearerTokens;
import io.autoglm.fleet.service.TenantAccess;
import io.autoglm.fleet.triggers.ingress.EventIngress;
import io.autoglm.fleet.triggers.ingress.IngressUnavailableException;
import io.autoglm.fleet.triggers.ingress.Submission;
import io.cloudevents.CloudEvent;
import io.quarkus.vertx.web.Route;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The ingress sink's HTTP edge: {@code POST /} and {@code POST /tenants/<tenant>} take CloudEvents in
 * binary, structured or batch mode from a caller with a JWT bearer token ({@code POST /dead-letters}
 * takes failed events for the tenant's dead-letter topic), and answer
 * <ul>
 * <li>202 once Pulsar has acknowledged every event (body: how many, and their ids);</li>
 * <li>400 naming every problem of every event, and nothing written (a batch is all or nothing);</li>
 * <li>401 without a valid token (checked before the body is read, by {@link CallerToken}), 403 for
 * another tenant's topics;</li>
 * <li>413 over the body size limit, as soon as the body is over it ({@code BodyGuard}, as on every service);</li>
 * <li>503 when Pulsar did not take the events: nothing written (several events go in one
 * transaction), the caller sends again.</li>
 * </ul>
 */
public class IngressRoute {

    private static final Logger LOG = Logger.getLogger(IngressRoute.class);

    private final EventIngress ingress;
    private final SinkSettings settings;
    private final SinkMetrics metrics;
    private final EventValidator validator = EventValidator.standard();

    IngressRoute(EventIngress ingress, SinkSettings settings, SinkMetrics metrics) {
        this.ingress = ingress;
        this.settings = settings;
        this.metrics = metrics;
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

    private void ingest(RoutingContext context, Optional<String> pathTenant, boolean deadLetters) {
        JsonWebToken token = CallerToken.of(context);
        if (token == null) {
            // BodyGuard admits a POST only with a verified token; anything else reaching here is a wiring fault
            context.fail(new IllegalStateException("no verified token for " + context.normalizedPath()));
            return;
        }
        Optional<String> callerTenant = BearerTokens.claim(token, settings.tenantClaim());
        TenantAccess.Decision access = TenantAccess.decide(settings.tenantClaim(), callerTenant, pathTenant);
        if (!access.allowed()) {
            metrics.refused(SinkMetrics.Refusal.FORBIDDEN, callerTenant.orElse(null));
            SinkProblem.forbidden(access.refusal()).answer(context);
            return;
        }
        Buffer body = context.body() == null ? null : context.body().buffer();
        String contentType = context.request().getHeader("Content-Type");
        metrics.received(access.tenant(), body == null ? 0 : body.length());
        Submission submission = Submission.of(HttpEvents.read(validator, context.request().headers(),
                body == null ? new byte[0] : body.getBytes()), HttpEvents.Mode.of(contentType) == HttpEvents.Mode.BATCH);
        if (!submission.valid()) {
            LOG.debugf("refused %d problem(s) from tenant %s", submission.problems().size(), access.tenant());
            metrics.refused(SinkMetrics.Refusal.INVALID, access.tenant());
            SinkProblem.invalidEvents(submission.problems()).answer(context);
            return;
        }
        List<CloudEvent> events = submission.events();
        long start = System.nanoTime();
        (deadLetters ? ingress.deadLetterAll(events, access.tenant()) : ingress.publishAll(events, access.tenant()))
                .whenComplete((written, failure) -> {
                    if (failure == null) {
                        metrics.written(access.tenant(), events.size(), deadLetters, start);
                        context.response().setStatusCode(202).putHeader("Content-Type", "application/json")
                                .end(new String(EventJson.write(new Accepted(events.size(), access.tenant(),
                                        events.stream().map(CloudEvent::getId).toList())), StandardCharsets.UTF_8));
                        return;
                    }
                    Throwable cause = Failures.unwrap(failure);
                    if (cause instanceof IngressUnavailableException) {
                        metrics.refused(SinkMetrics.Refusal.UNAVAILABLE, access.tenant());
                        LOG.warnf("503 for %d event(s) of tenant %s: %s", events.size(), access.tenant(), cause.getMessage());
                        context.response().putHeader("Retry-After", "1");
                        SinkProblem.unavailable(cause.getMessage()).answer(context);
                    } else {
                        context.fail(cause);
                    }
                });
    }
}
