package io.autoglm.fleet.functions.heartbeat;

import io.autoglm.fleet.events.EventTypeNames;
import io.autoglm.fleet.events.device.DeviceHeartbeat;
import io.autoglm.fleet.events.device.LivenessDeadline;
import io.autoglm.fleet.functions.runtime.Replies;
import io.autoglm.fleet.liveness.LivenessEvaluator;
import io.autoglm.fleet.state.Reply;
import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEvent;
import io.quarkus.funqy.knative.events.CloudEventMapping;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.concurrent.CompletableFuture;

/**
 * Heartbeat evaluation as a Funqy Knative function ({@link HeartbeatService} decides; see
 * {@link LivenessEvaluator} for how few messages it writes).
 *
 * <ul>
 * <li>{@code io.autoglm.device.heartbeat} -> {@code io.autoglm.device.status.changed} on a transition
 * (first heartbeat, or back ONLINE after the hysteresis), no reply otherwise (HTTP 204), or
 * {@code io.autoglm.device.heartbeat.rejected} for a device the registry does not know.</li>
 * <li>{@code io.autoglm.device.liveness.deadline} (its own timers, Pulsar delayed messages) ->
 * {@code io.autoglm.device.status.changed} when the device went SUSPECT or OFFLINE, else no reply.</li>
 * </ul>
 * A status change is announced by the answer only; when that answer reaches nobody (the dispatcher gave up before it
 * was ready) the service hears of it and the device's next heartbeat announces the status again.
 */
@Singleton
public class HeartbeatFunction {

    @Inject
    HeartbeatService liveness;
    @Inject
    CurrentVertxRequest request;

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.DEVICE_HEARTBEAT)
    public Uni<CloudEvent<Object>> heartbeat(CloudEvent<DeviceHeartbeat> event) {
        CompletableFuture<Boolean> delivered = answerDelivered();
        return Uni.createFrom().completionStage(() -> watched(liveness.heartbeat(event.id(), Replies.tenant(event), event.data()), delivered))
                .map(HeartbeatFunction::toCloudEvent);
    }

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.DEVICE_LIVENESS_DEADLINE)
    public Uni<CloudEvent<Object>> deadline(CloudEvent<LivenessDeadline> event) {
        CompletableFuture<Boolean> delivered = answerDelivered();
        return Uni.createFrom().completionStage(() -> watched(liveness.deadline(Replies.tenant(event), event.data()), delivered))
                .map(HeartbeatFunction::toCloudEvent);
    }

    /**
     * Completes with whether this request's answer went out (true) or its connection closed first (false: the dispatcher
     * timed out and hung up). Registered on the request's own thread, before anything is evaluated, so a caller that
     * hangs up while the tenant's tables open is seen.
     */
    private CompletableFuture<Boolean> answerDelivered() {
        CompletableFuture<Boolean> delivered = new CompletableFuture<>();
        RoutingContext context = request.getCurrent();
        if (context == null) {
            delivered.complete(true); // called without HTTP
        } else {
            context.addEndHandler(ended -> answered(delivered, ended.succeeded()));
            if (context.response().closed()) {
                answered(delivered, false); // gone before this function was called: the end handler will not be told
            }
        }
        return delivered;
    }

    private void answered(CompletableFuture<Boolean> delivered, boolean reached) {
        if (delivered.complete(reached) && !reached) {
            liveness.callerGone();
        }
    }

    /**
     * Tells the service when the status change it answered with reached nobody, so the device's next heartbeat announces
     * it again. Funqy gets a copy of the reply's future: cancelling that one when the caller leaves does not stop the
     * evaluation's own, whose outcome is what must be known.
     */
    private CompletableFuture<Reply> watched(CompletableFuture<Reply> reply, CompletableFuture<Boolean> delivered) {
        reply.thenAcceptBoth(delivered, (answer, reached) -> {
            if (!reached) {
                liveness.answerLost(answer);
            }
        });
        return reply.thenApply(answer -> answer);
    }

    static CloudEvent<Object> toCloudEvent(Reply reply) {
        return reply == null ? null : Replies.reply(reply.type(), reply.payload(), reply.tenant(), reply.partitionKey());
    }
}
