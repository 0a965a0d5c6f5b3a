package io.autoglm.fleet.functions.router;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.EventTypeNames;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.Extensions;
import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.events.Rejection;
import io.autoglm.fleet.events.command.CommandBatchDispatched;
import io.autoglm.fleet.events.command.CommandBatchRequested;
import io.autoglm.fleet.events.command.CommandDispatched;
import io.autoglm.fleet.events.command.CommandRequested;
import io.autoglm.fleet.events.command.Delivery;
import io.autoglm.fleet.events.command.Placement;
import io.autoglm.fleet.events.inference.InferenceDispatched;
import io.autoglm.fleet.events.inference.InferenceRequested;
import io.autoglm.fleet.events.EventPublisher;
import io.autoglm.fleet.functions.runtime.Replies;
import io.autoglm.fleet.routing.InferencePlacement;
import io.autoglm.fleet.routing.Router;
import io.autoglm.fleet.routing.RoutingDecision;
import io.autoglm.fleet.routing.RoutingDecision.Refused;
import io.autoglm.fleet.routing.RoutingDecision.Routed;
import io.autoglm.fleet.routing.RoutingDecision.Target;
import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEvent;
import io.quarkus.funqy.knative.events.CloudEventMapping;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Routing of commands and inference requests within the request's tenant.
 *
 * <ul>
 * <li>{@code io.autoglm.command.requested} -> {@code io.autoglm.command.dispatched} keyed by the chosen device
 * (the reply is the delivery: its topic, by type and tenant, is the tenant's device command topic), or
 * {@code io.autoglm.command.rejected} with every reason. A BROADCAST is written to every matching device in
 * one transaction and answered with {@code io.autoglm.command.batch.dispatched} (batch id = command id).</li>
 * <li>{@code io.autoglm.command.batch.requested} -> every command routed and written in one Pulsar transaction,
 * then {@code io.autoglm.command.batch.dispatched}; or nothing written and {@code io.autoglm.command.batch.rejected}
 * with every failing command's reasons. A broker failure aborts the transaction and fails the request (5xx,
 * retried); no command of it is ever visible.</li>
 * <li>{@code io.autoglm.inference.requested} without a {@code placement} -> placed on the asking device
 * ({@code partitionkey}), an edge box (both via their command topic) or the cloud tier (re-published with
 * {@code placement=cloud} for the inference function), answered with {@code io.autoglm.inference.dispatched}.
 * Requests that already carry a placement are not the router's (HTTP 204).</li>
 * </ul>
 */
@Singleton
public class RouterFunction {

    static final URI SOURCE = URI.create("/autoglm/functions/router");

    @Inject
    Router router;

    @Inject
    FleetViews fleets;

    @Inject
    DeviceCommands commands;

    @Inject
    EventPublisher publisher;

    @Inject
    Clock clock;

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.COMMAND_REQUESTED)
    public Uni<CloudEvent<Object>> command(CloudEvent<CommandRequested> request) {
        String tenant = Replies.tenant(request);
        CommandRequested command = request.data();
        return Uni.createFrom().completionStage(() -> fleets.of(tenant).thenCompose(fleet -> {
            RoutingDecision decision = router.route(fleet, command);
            if (decision instanceof Refused refused) {
                return CompletableFuture.completedFuture(rejected(EventType.COMMAND_REJECTED, request, command.commandId(), refused.problems()));
            }
            List<CommandDispatched> dispatched = dispatched(tenant, command, null, ((Routed) decision).targets());
            if (command.delivery() == Delivery.BROADCAST && command.deviceId() == null) {
                return commands.deliverAll(tenant, deliveries(dispatched)).thenApply(done -> Replies.<Object>reply(
                        EventType.COMMAND_BATCH_DISPATCHED, new CommandBatchDispatched(command.commandId(), dispatched), tenant, null));
            }
            CommandDispatched only = dispatched.get(0);
            return CompletableFuture.completedFuture(Replies.<Object>reply(EventType.COMMAND_DISPATCHED, only, tenant, only.deviceId()));
        }));
    }

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.COMMAND_BATCH_REQUESTED)
    public Uni<CloudEvent<Object>> batch(CloudEvent<CommandBatchRequested> request) {
        String tenant = Replies.tenant(request);
        CommandBatchRequested batch = request.data();
        return Uni.createFrom().completionStage(() -> fleets.of(tenant).thenCompose(fleet -> {
            Router.Batch routed = router.routeBatch(fleet, batch);
            if (!routed.routed()) {
                return CompletableFuture.completedFuture(rejected(EventType.COMMAND_BATCH_REJECTED, request, batch.batchId(), routed.problems()));
            }
            List<CommandDispatched> dispatched = new ArrayList<>();
            for (int i = 0; i < batch.commands().size(); i++) {
                dispatched.addAll(dispatched(tenant, batch.commands().get(i), batch.batchId(), routed.targets().get(i)));
            }
            return commands.deliverAll(tenant, deliveries(dispatched)).thenApply(done -> Replies.<Object>reply(
                    EventType.COMMAND_BATCH_DISPATCHED, new CommandBatchDispatched(batch.batchId(), dispatched), tenant, null));
        }));
    }

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.INFERENCE_REQUESTED)
    public Uni<CloudEvent<Object>> inference(CloudEvent<InferenceRequested> request) {
        if (request.extensions() != null && request.extensions().containsKey(Extensions.PLACEMENT)) {
            return Uni.createFrom().nullItem();
        }
        String tenant = Replies.tenant(request);
        String requester = Replies.partitionKey(request);
        InferenceRequested inference = request.data();
        return Uni.createFrom().completionStage(() -> fleets.of(tenant).thenCompose(fleet -> {
            InferencePlacement placement = router.place(fleet, inference, requester);
            String key = placement.deviceId() != null ? placement.deviceId() : requester;
            io.cloudevents.CloudEvent placed = Events.newEvent(EventType.INFERENCE_REQUESTED, URI.create(request.source()), tenant, key, inference)
                    .withId(request.id())
                    .withExtension(Extensions.PLACEMENT, placement.placement().attributeValue())
                    .build();
            CompletableFuture<Void> sent = placement.placement() == Placement.CLOUD ? publisher.publish(placed) : commands.deliver(placed);
            InferenceDispatched answer = new InferenceDispatched(inference.requestId(), inference.model(), placement.placement(),
                    placement.deviceId(), placement.strategy(), placement.reason(), clock.instant());
            return sent.thenApply(done -> Replies.<Object>reply(EventType.INFERENCE_DISPATCHED, answer, tenant, key));
        }));
    }

    private List<CommandDispatched> dispatched(String tenant, CommandRequested command, String batchId, List<Target> targets) {
        Instant now = clock.instant();
        Instant expires = command.ttlMs() == null ? null : now.plusMillis(command.ttlMs());
        List<CommandDispatched> dispatched = new ArrayList<>(targets.size());
        for (Target target : targets) {
            dispatched.add(new CommandDispatched(command.commandId(), batchId, target.deviceId(), tenant, target.placement(),
                    command.action(), command.strategy(), target.reason(), now, expires));
        }
        return dispatched;
    }

    private List<io.cloudevents.CloudEvent> deliveries(List<CommandDispatched> dispatched) {
        OffsetDateTime now = OffsetDateTime.now(clock.withZone(ZoneOffset.UTC));
        return dispatched.stream().map(command -> Events.newEvent(EventType.COMMAND_DISPATCHED, SOURCE, command.tenant(), command.deviceId(), command)
                .withTime(now).build()).toList();
    }

    private static CloudEvent<Object> rejected(EventType type, CloudEvent<?> request, String subject, List<Problem> problems) {
        return Replies.reply(type, new Rejection(request.id(), request.type(), subject, problems), Replies.tenant(request),
                Replies.partitionKey(request));
    }
}
