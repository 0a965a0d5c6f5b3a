package io.autoglm.fleet.functions.router;

import io.autoglm.fleet.events.EventTypeNames;
import io.autoglm.fleet.events.Extensions;
import io.autoglm.fleet.events.command.CommandBatchRequested;
import io.autoglm.fleet.events.command.CommandRequested;
import io.autoglm.fleet.events.inference.InferenceRequested;
import io.autoglm.fleet.functions.runtime.Replies;
import io.autoglm.fleet.state.Reply;
import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEvent;
import io.quarkus.funqy.knative.events.CloudEventMapping;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.net.URI;

/**
 * Routing of commands and inference requests within the request's tenant, as a Funqy Knative function
 * ({@link RoutingService} decides and writes).
 *
 * <ul>
 * <li>{@code io.autoglm.command.requested} -> {@code io.autoglm.command.dispatched} keyed by the chosen device
 * (the reply is the delivery: its topic, by type and tenant, is the tenant's device command topic), or
 * {@code io.autoglm.command.rejected} with every reason. A BROADCAST is written to every matching device in
 * one transaction, each device's copy a command of its own ({@code <commandId>@<deviceId>}) in the batch {@code <commandId>},
 * and answered with {@code io.autoglm.command.batch.dispatched}.</li>
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

    @Inject
    RoutingService routing;

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.COMMAND_REQUESTED)
    public Uni<CloudEvent<Object>> command(CloudEvent<CommandRequested> request) {
        return Uni.createFrom().completionStage(() -> routing.command(request.id(), Replies.tenant(request), Replies.partitionKey(request),
                request.data())).map(RouterFunction::toCloudEvent);
    }

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.COMMAND_BATCH_REQUESTED)
    public Uni<CloudEvent<Object>> batch(CloudEvent<CommandBatchRequested> request) {
        return Uni.createFrom().completionStage(() -> routing.batch(request.id(), Replies.tenant(request), Replies.partitionKey(request),
                request.data())).map(RouterFunction::toCloudEvent);
    }

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.INFERENCE_REQUESTED)
    public Uni<CloudEvent<Object>> inference(CloudEvent<InferenceRequested> request) {
        boolean placed = request.extensions() != null && request.extensions().containsKey(Extensions.PLACEMENT);
        return Uni.createFrom().completionStage(() -> routing.inference(request.id(), URI.create(request.source()), Replies.tenant(request),
                Replies.partitionKey(request), placed, request.data())).map(RouterFunction::toCloudEvent);
    }

    static CloudEvent<Object> toCloudEvent(Reply reply) {
        return reply == null ? null : Replies.reply(reply.type(), reply.payload(), reply.tenant(), reply.partitionKey());
    }
}
