package io.autoglm.fleet.functions.registry;

import io.autoglm.fleet.events.EventTypeNames;
import io.autoglm.fleet.events.device.DeviceDeclaration;
import io.autoglm.fleet.events.device.DeviceDeregistrationRequested;
import io.autoglm.fleet.functions.runtime.Replies;
import io.autoglm.fleet.state.Reply;
import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEvent;
import io.quarkus.funqy.knative.events.CloudEventMapping;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Device registration and deregistration, as a Funqy Knative function ({@link RegistryService} decides).
 *
 * <ul>
 * <li>{@code io.autoglm.device.registration.requested} -> {@code io.autoglm.device.registered} (CREATED,
 * UPDATED with the next generation, or UNCHANGED without a write) or {@code io.autoglm.device.registration.rejected}
 * with every reason.</li>
 * <li>{@code io.autoglm.device.deregistration.requested} -> {@code io.autoglm.device.deregistered} (a tombstone
 * in the registry) or {@code io.autoglm.device.deregistration.rejected}.</li>
 * </ul>
 */
@Singleton
public class RegistryFunction {

    @Inject
    RegistryService registry;

    @Inject
    RegistryMetrics metrics;

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.DEVICE_REGISTRATION_REQUESTED)
    public Uni<CloudEvent<Object>> register(CloudEvent<DeviceDeclaration> request) {
        return Uni.createFrom().completionStage(() -> registry.register(request.id(), Replies.tenant(request), Replies.partitionKey(request),
                request.data())).invoke(metrics::replied).onFailure().invoke(failure -> metrics.failed(true, Replies.tenant(request)))
                .map(RegistryFunction::toCloudEvent);
    }

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.DEVICE_DEREGISTRATION_REQUESTED)
    public Uni<CloudEvent<Object>> deregister(CloudEvent<DeviceDeregistrationRequested> request) {
        return Uni.createFrom().completionStage(() -> registry.deregister(request.id(), Replies.tenant(request), Replies.partitionKey(request),
                request.data())).invoke(metrics::replied).onFailure().invoke(failure -> metrics.failed(false, Replies.tenant(request)))
                .map(RegistryFunction::toCloudEvent);
    }

    static CloudEvent<Object> toCloudEvent(Reply reply) {
        return reply == null ? null : Replies.reply(reply.type(), reply.payload(), reply.tenant(), reply.partitionKey());
    }
}
