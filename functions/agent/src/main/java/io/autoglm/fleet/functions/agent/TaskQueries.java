package io.autoglm.fleet.functions.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoglm.fleet.agent.Decision;
import io.autoglm.fleet.agent.TaskInput;
import io.autoglm.fleet.agent.Verdict;
import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.task.TaskAnswer;
import io.autoglm.fleet.events.task.TaskCancelRequested;
import io.autoglm.fleet.events.task.TaskRecord;
import io.autoglm.fleet.events.task.TaskState;
import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.service.ProblemDetails;
import io.autoglm.fleet.service.TenantQueries;
import io.quarkus.vertx.web.Route;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The tenant's tasks over HTTP, for the caller's tenant only (the tenant claim of its bearer token, verified as the ingress
 * sink verifies its callers'); each path also under {@code /tenants/{tenant}}:
 * <ul>
 * <li>{@code GET /tasks/{taskId}}: the task's record: state, the step under way, and the whole timeline, each step with its
 * screenshot's link ({@code timeline[].screenshot.uri}), the model's thinking and action, the command and its outcome, timings;</li>
 * <li>{@code GET /tasks?state=RUNNING&state=AWAITING_CONFIRMATION}: the tenant's tasks in those states (all without), newest
 * first, each as a summary;</li>
 * <li>{@code POST /tasks/{taskId}/cancel} (body optional: {@code {"reason": "..."}}): 200 with the record once canceled, 202
 * when the command in flight is waited for first;</li>
 * <li>{@code POST /tasks/{taskId}/confirmation} with {@code {"confirmed": true|false, "comment": "..."}}: the paused sensitive
 * action confirmed or refused;</li>
 * <li>{@code POST /tasks/{taskId}/takeover}: the person's take-over is done, the task goes on.</li>
 * </ul>
 * 401 without a valid token, 403 for a token of another tenant than the path names, 404 for a task the tenant does not have,
 * 409 for an answer the task does not wait for (or a task that has ended), 400 for a bad body or state; every refusal is a
 * problem-details body. An answer is decided here at once, as the same event would be ({@code by} is the token's name:
 * upn, preferred_username or sub).
 */
@Singleton
public class TaskQueries {

    /** Resolved only for a caller who may ask: a refusal needs no broker. */
    private final Provider<TaskService> tasks;
    private final TenantQueries queries;

    @Inject
    TaskQueries(Provider<TaskService> tasks, JWTParser parser, AgentSettings settings) {
        this.tasks = tasks;
        this.queries = new TenantQueries(parser, settings.maxTokenLifetime(), settings.tenantClaim(), "the task state table");
    }

    /** A task as {@code GET /tasks} lists it. */
    public record TaskSummary(String taskId, String instruction, TaskState state, String deviceId, int steps, String failure, String outcome,
                              Instant createdAt, Instant updatedAt) {
        static TaskSummary of(TaskRecord record) {
            return new TaskSummary(record.taskId(), record.request().instruction(), record.state(), record.deviceId(), record.steps(),
                    record.failure() == null ? null : record.failure().name(), record.outcome(), record.createdAt(), record.updatedAt());
        }
    }

    /** The tenant's tasks, as {@code GET /tasks} answers. */
    public record Tasks(String tenant, List<TaskSummary> tasks) {
    }

    @Route(path = "/tasks/:taskId", methods = Route.HttpMethod.GET, type = Route.HandlerType.BLOCKING)
    @Route(path = "/tenants/:tenant/tasks/:taskId", methods = Route.HttpMethod.GET, type = Route.HandlerType.BLOCKING)
    void task(RoutingContext context) {
        String taskId = context.pathParam("taskId");
        caller(context).ifPresent(caller -> queries.answer(context, 200, () -> tasks.get().task(caller.tenant, taskId), found -> found
                .map(EventJson::write).orElse(null), () -> unknown(caller.tenant, taskId)));
    }

    @Route(path = "/tasks", methods = Route.HttpMethod.GET, type = Route.HandlerType.BLOCKING)
    @Route(path = "/tenants/:tenant/tasks", methods = Route.HttpMethod.GET, type = Route.HandlerType.BLOCKING)
    void list(RoutingContext context) {
        Set<TaskState> states = TenantQueries.states(context, TaskState.class, "a task state");
        if (states == null) {
            return;
        }
        caller(context).ifPresent(caller -> queries.answer(context, 200, () -> tasks.get().tasksOf(caller.tenant, states),
                records -> EventJson.write(new Tasks(caller.tenant, records.stream().map(TaskSummary::of).toList())), null));
    }

    @Route(path = "/tasks/:taskId/cancel", methods = Route.HttpMethod.POST, type = Route.HandlerType.BLOCKING)
    @Route(path = "/tenants/:tenant/tasks/:taskId/cancel", methods = Route.HttpMethod.POST, type = Route.HandlerType.BLOCKING)
    void cancel(RoutingContext context) {
        Optional<JsonNode> body = body(context, false);
        if (body == null) {
            return;
        }
        String reason = body.map(json -> json.path("reason").asText(null)).orElse(null);
        caller(context).ifPresent(caller -> decide(context, caller, EnumSet.complementOf(EnumSet.of(TaskState.COMPLETED, TaskState.FAILED,
                TaskState.CANCELED)), "running", record -> new TaskInput.CancelRequested(new TaskCancelRequested(record.taskId(),
                reason == null || reason.isBlank() ? "canceled over HTTP" : reason, caller.who))));
    }

    @Route(path = "/tasks/:taskId/confirmation", methods = Route.HttpMethod.POST, type = Route.HandlerType.BLOCKING)
    @Route(path = "/tenants/:tenant/tasks/:taskId/confirmation", methods = Route.HttpMethod.POST, type = Route.HandlerType.BLOCKING)
    void confirmation(RoutingContext context) {
        Optional<JsonNode> body = body(context, true);
        if (body == null) {
            return;
        }
        JsonNode confirmed = body.get().path("confirmed");
        if (!confirmed.isBoolean()) {
            ProblemDetails.of("invalid-body", "Invalid body", 400, "send {\"confirmed\": true} or {\"confirmed\": false}",
                    List.of(new Problem("body.confirmed", "must be true or false"))).answer(context);
            return;
        }
        String comment = body.get().path("comment").asText(null);
        TaskInput.Answered.Kind kind = confirmed.booleanValue() ? TaskInput.Answered.Kind.CONFIRMED : TaskInput.Answered.Kind.REFUSED;
        caller(context).ifPresent(caller -> decide(context, caller, EnumSet.of(TaskState.AWAITING_CONFIRMATION), "waiting for a confirmation",
                record -> new TaskInput.Answered(kind, new TaskAnswer(record.taskId(), record.stepId(), caller.who, comment))));
    }

    @Route(path = "/tasks/:taskId/takeover", methods = Route.HttpMethod.POST, type = Route.HandlerType.BLOCKING)
    @Route(path = "/tenants/:tenant/tasks/:taskId/takeover", methods = Route.HttpMethod.POST, type = Route.HandlerType.BLOCKING)
    void takeover(RoutingContext context) {
        Optional<JsonNode> body = body(context, false);
        if (body == null) {
            return;
        }
        String comment = body.map(json -> json.path("comment").asText(null)).orElse(null);
        caller(context).ifPresent(caller -> decide(context, caller, EnumSet.of(TaskState.AWAITING_TAKEOVER), "waiting for a take-over",
                record -> new TaskInput.Answered(TaskInput.Answered.Kind.TAKEN_OVER, new TaskAnswer(record.taskId(), record.stepId(), caller.who,
                        comment))));
    }

    /** Who asks: the tenant, and the token's name (who answered, in the task's timeline). */
    private record Caller(String tenant, String who) {
    }

    /**
     * The task's input, decided now when the task is in one of {@code states}: 200 with the record once applied, 202 when
     * taken for later (a cancel waiting for the command in flight), 409 otherwise.
     */
    private void decide(RoutingContext context, Caller caller, Set<TaskState> states, String expected, Function<TaskRecord, TaskInput> input) {
        String taskId = context.pathParam("taskId");
        CompletableFuture<Optional<Decision>> deciding;
        try {
            TaskService service = tasks.get();
            deciding = service.task(caller.tenant, taskId).thenCompose(found -> {
                if (found.isEmpty() || !states.contains(found.get().state())) {
                    return CompletableFuture.completedFuture(found.map(record -> new Decision(record, List.of(), Verdict.IGNORED, "not " + expected)));
                }
                return service.apply(caller.tenant, input.apply(found.get())).thenApply(Optional::of);
            });
        } catch (RuntimeException e) {
            deciding = CompletableFuture.failedFuture(e);
        }
        deciding.whenComplete((decided, failure) -> {
            if (failure != null) {
                queries.unavailable(context, failure);
            } else if (decided.isEmpty()) {
                unknown(caller.tenant, taskId).answer(context);
            } else if (decided.get().verdict() == Verdict.IGNORED) {
                TaskRecord record = decided.get().record();
                ProblemDetails.of("conflict", "Not possible now", 409, "task " + taskId + " is " + record.state() + ", not " + expected
                        + (decided.get().note().startsWith("not ") ? "" : " (" + decided.get().note() + ")")).answer(context);
            } else {
                TenantQueries.json(context, decided.get().verdict() == Verdict.DEFERRED ? 202 : 200, EventJson.write(decided.get().record()));
            }
        });
    }

    /** The request's JSON object; empty for no body (when it may be absent); null once answered 400. */
    private static Optional<JsonNode> body(RoutingContext context, boolean required) {
        Buffer body = context.body() == null ? null : context.body().buffer();
        if (body == null || body.length() == 0) {
            if (required) {
                ProblemDetails.of("invalid-body", "Invalid body", 400, "this request needs a JSON body").answer(context);
                return null;
            }
            return Optional.empty();
        }
        try {
            JsonNode json = EventJson.tree(body.getBytes());
            if (!json.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            return Optional.of(json);
        } catch (RuntimeException e) {
            ProblemDetails.of("invalid-body", "Invalid body", 400, "the body is not a JSON object: " + e.getMessage()).answer(context);
            return null;
        }
    }

    /** The caller, or empty once the request has been answered with why not. */
    private Optional<Caller> caller(RoutingContext context) {
        return queries.caller(context).map(caller -> new Caller(caller.tenant(), caller.token().getName()));
    }

    private static ProblemDetails unknown(String tenant, String taskId) {
        return ProblemDetails.of("unknown-task", "No such task", 404, "tenant " + tenant + " has no task " + taskId);
    }
}
