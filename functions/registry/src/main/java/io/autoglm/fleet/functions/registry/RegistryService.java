package io.autoglm.fleet.functions.registry;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.events.Rejection;
import io.autoglm.fleet.events.device.DeviceDeclaration;
import io.autoglm.fleet.events.device.DeviceDeregistered;
import io.autoglm.fleet.events.device.DeviceDeregistrationRequested;
import io.autoglm.fleet.events.device.DeviceRecord;
import io.autoglm.fleet.events.device.DeviceRegistered;
import io.autoglm.fleet.registry.Registrar;
import io.autoglm.fleet.registry.Result;
import io.autoglm.fleet.state.FleetState;
import io.autoglm.fleet.state.KeySequencer;
import io.autoglm.fleet.state.Reply;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the registry function does with a request, independent of HTTP: the {@link Registrar}'s decision, read
 * from and written to the tenant's registry table, one request at a time per device. {@link RegistryFunction}
 * is its Funqy shell; tests drive it directly against the real broker.
 */
public final class RegistryService {

    private final Registrar registrar;
    private final FleetState state;
    private final Clock clock;
    private final KeySequencer perDevice = new KeySequencer();

    public RegistryService(Registrar registrar, FleetState state, Clock clock) {
        this.registrar = Objects.requireNonNull(registrar, "registrar");
        this.state = Objects.requireNonNull(state, "state");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A registration request (event {@code requestId}, sent with the {@code tenant} extension). */
    public CompletableFuture<Reply> register(String requestId, String tenant, String partitionKey, DeviceDeclaration declaration) {
        Result<Registrar.Admitted> admitted = registrar.admit(tenant, declaration);
        if (!admitted.isAccepted()) {
            return CompletableFuture.completedFuture(rejected(EventType.DEVICE_REGISTRATION_REJECTED, EventType.DEVICE_REGISTRATION_REQUESTED,
                    requestId, tenant, partitionKey, null, admitted.problems()));
        }
        String deviceId = admitted.value().deviceId();
        return state.registry().table(tenant).thenCompose(table -> perDevice.submit(deviceId, () -> table.getLatest(deviceId).thenCompose(stored -> {
            Registrar.Registration registration = registrar.register(admitted.value(), stored, clock.instant());
            CompletableFuture<Void> written = registration.needsWrite() ? table.put(deviceId, registration.record())
                    : CompletableFuture.completedFuture(null);
            return written.thenApply(done -> new Reply(EventType.DEVICE_REGISTERED,
                    new DeviceRegistered(requestId, registration.outcome(), registration.record()), tenant, deviceId));
        })));
    }

    /** A deregistration request: the device's tombstone, or every reason there is none. */
    public CompletableFuture<Reply> deregister(String requestId, String tenant, String partitionKey, DeviceDeregistrationRequested request) {
        if (tenant == null || !tenant.equals(request.tenant())) {
            return CompletableFuture.completedFuture(rejected(EventType.DEVICE_DEREGISTRATION_REJECTED,
                    EventType.DEVICE_DEREGISTRATION_REQUESTED, requestId, tenant, partitionKey, request.deviceId(),
                    registrar.deregister(tenant, request, Optional.empty()).problems()));
        }
        return state.registry().table(tenant).thenCompose(table -> perDevice.submit(request.deviceId(), () ->
                table.getLatest(request.deviceId()).thenCompose(stored -> {
                    Result<DeviceRecord> found = registrar.deregister(tenant, request, stored);
                    if (!found.isAccepted()) {
                        return CompletableFuture.completedFuture(rejected(EventType.DEVICE_DEREGISTRATION_REJECTED,
                                EventType.DEVICE_DEREGISTRATION_REQUESTED, requestId, tenant, partitionKey, request.deviceId(), found.problems()));
                    }
                    DeviceRecord record = found.value();
                    return table.remove(record.deviceId()).thenApply(done -> new Reply(EventType.DEVICE_DEREGISTERED,
                            new DeviceDeregistered(requestId, record.deviceId(), record.tenant(), request.reason(), clock.instant()),
                            record.tenant(), record.deviceId()));
                })));
    }

    private static Reply rejected(EventType type, EventType requestType, String requestId, String tenant, String partitionKey, String subject,
                                  List<Problem> problems) {
        return new Reply(type, new Rejection(requestId, requestType.type(), subject, problems), tenant, partitionKey);
    }
}
