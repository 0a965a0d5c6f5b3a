package io.autoglm.fleet.functions.registry;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.EventTypeNames;
import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.events.Rejection;
import io.autoglm.fleet.events.device.DeviceDeclaration;
import io.autoglm.fleet.events.device.DeviceDeregistered;
import io.autoglm.fleet.events.device.DeviceDeregistrationRequested;
import io.autoglm.fleet.events.device.DeviceRecord;
import io.autoglm.fleet.events.device.DeviceRegistered;
import io.autoglm.fleet.functions.runtime.Replies;
import io.autoglm.fleet.registry.Registrar;
import io.autoglm.fleet.registry.Result;
import io.autoglm.fleet.state.KeySequencer;
import io.autoglm.fleet.state.StateTable;
import io.autoglm.fleet.state.FleetState;
import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEvent;
import io.quarkus.funqy.knative.events.CloudEventMapping;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Device registration and deregistration.
 *
 * <ul>
 * <li>{@code io.autoglm.device.registration.requested} -> {@code io.autoglm.device.registered} (CREATED,
 * UPDATED with the next generation, or UNCHANGED without a write) or {@code io.autoglm.device.registration.rejected}
 * with every reason.</li>
 * <li>{@code io.autoglm.device.deregistration.requested} -> {@code io.autoglm.device.deregistered} (a tombstone
 * in the registry) or {@code io.autoglm.device.deregistration.rejected}.</li>
 * </ul>
 * The registry is the tenant's compacted topic keyed by device id; one device's requests are handled one at
 * a time, so a registration and its repeat never race (one instance per process: the per-device order lives in it).
 */
@Singleton
public class RegistryFunction {

    private final KeySequencer perDevice = new KeySequencer();

    @Inject
    Registrar registrar;

    @Inject
    FleetState state;

    @Inject
    Clock clock;

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.DEVICE_REGISTRATION_REQUESTED)
    public Uni<CloudEvent<Object>> register(CloudEvent<DeviceDeclaration> request) {
        String tenant = Replies.tenant(request);
        Result<Registrar.Admitted> admitted = registrar.admit(tenant, request.data());
        if (!admitted.isAccepted()) {
            return reply(rejected(EventType.DEVICE_REGISTRATION_REJECTED, request, null, admitted.problems()));
        }
        String deviceId = admitted.value().deviceId();
        return Uni.createFrom().completionStage(() -> state.registry().table(tenant).thenCompose(table ->
                perDevice.submit(deviceId, () -> table.getLatest(deviceId).thenCompose(stored -> {
                    Registrar.Registration registration = registrar.register(admitted.value(), stored, clock.instant());
                    CompletableFuture<Void> written = registration.needsWrite() ? table.put(deviceId, registration.record())
                            : CompletableFuture.completedFuture(null);
                    return written.thenApply(done -> Replies.<Object>reply(EventType.DEVICE_REGISTERED,
                            new DeviceRegistered(request.id(), registration.outcome(), registration.record()), tenant, deviceId));
                }))));
    }

    @Funq
    @CloudEventMapping(trigger = EventTypeNames.DEVICE_DEREGISTRATION_REQUESTED)
    public Uni<CloudEvent<Object>> deregister(CloudEvent<DeviceDeregistrationRequested> request) {
        String tenant = Replies.tenant(request);
        DeviceDeregistrationRequested data = request.data();
        if (tenant == null || !tenant.equals(data.tenant())) {
            return reply(rejected(EventType.DEVICE_DEREGISTRATION_REJECTED, request, data.deviceId(),
                    registrar.deregister(tenant, data, Optional.empty()).problems()));
        }
        return Uni.createFrom().completionStage(() -> state.registry().table(tenant).thenCompose(table ->
                perDevice.submit(data.deviceId(), () -> table.getLatest(data.deviceId()).thenCompose(stored -> {
                    Result<DeviceRecord> found = registrar.deregister(tenant, data, stored);
                    if (!found.isAccepted()) {
                        return CompletableFuture.completedFuture(
                                rejected(EventType.DEVICE_DEREGISTRATION_REJECTED, request, data.deviceId(), found.problems()));
                    }
                    return removed(table, request, found.value());
                }))));
    }

    private CompletableFuture<CloudEvent<Object>> removed(StateTable<DeviceRecord> table, CloudEvent<DeviceDeregistrationRequested> request,
                                                          DeviceRecord record) {
        return table.remove(record.deviceId()).thenApply(done -> Replies.<Object>reply(EventType.DEVICE_DEREGISTERED,
                new DeviceDeregistered(request.id(), record.deviceId(), record.tenant(), request.data().reason(), clock.instant()),
                record.tenant(), record.deviceId()));
    }

    private static CloudEvent<Object> rejected(EventType type, CloudEvent<?> request, String subject, List<Problem> problems) {
        return Replies.reply(type, new Rejection(request.id(), request.type(), subject, problems), Replies.tenant(request),
                Replies.partitionKey(request));
    }

    private static Uni<CloudEvent<Object>> reply(CloudEvent<Object> event) {
        return Uni.createFrom().item(event);
    }
}
