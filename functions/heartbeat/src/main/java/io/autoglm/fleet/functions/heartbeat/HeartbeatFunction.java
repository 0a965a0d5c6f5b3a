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
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

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
 */
@Singleton
public class HeartbeatFunction {

    @Inject
    HeartbeatService liveness;

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.DEVICE_HEARTBEAT)
    public Uni<CloudEvent<Object>> heartbeat(CloudEvent<DeviceHeartbeat> event) {
        return Uni.createFrom().completionStage(() -> liveness.heartbeat(event.id(), Replies.tenant(event), event.data()))
                .map(HeartbeatFunction::toCloudEvent);
    }

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.DEVICE_LIVENESS_DEADLINE)
    public Uni<CloudEvent<Object>> deadline(CloudEvent<LivenessDeadline> event) {
        return Uni.createFrom().completionStage(() -> liveness.deadline(Replies.tenant(event), event.data()))
                .map(HeartbeatFunction::toCloudEvent);
    }

    static CloudEvent<Object> toCloudEvent(Reply reply) {
        return reply == null ? null : Replies.reply(reply.type(), reply.payload(), reply.tenant(), reply.partitionKey());
    }
}
