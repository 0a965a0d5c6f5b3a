package io.autoglm.fleet.registry;

import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.events.device.DeviceDeclaration;
import io.autoglm.fleet.events.device.DeviceDeregistrationRequested;
import io.autoglm.fleet.events.device.DeviceRecord;
import io.autoglm.fleet.events.device.RegistrationOutcome;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The registry's decisions: whether a declaration may register, under which id, and what that does to
 * the stored record (a new device, a changed declaration with the next generation, or nothing at all);
 * and whether a deregistration may proceed. No I/O: the caller looks the record up and writes the result.
 */
public final class Registrar {

    private final DeviceIdentity identity;
    private final DeclarationRules rules;

    public Registrar(DeviceIdentity identity, DeclarationRules rules) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.rules = Objects.requireNonNull(rules, "rules");
    }

    /** A declaration that passed every rule, with the identity it registers under. */
    public record Admitted(String tenant, DeviceDeclaration declaration, DeviceIdentity.Identity identity) {
        public Admitted {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(declaration, "declaration");
            Objects.requireNonNull(identity, "identity");
        }

        public String deviceId() {
            return identity.deviceId();
        }
    }

    /** What a registration does: the outcome, the record as it now stands, and whether to write it. */
    public record Registration(RegistrationOutcome outcome, DeviceRecord record) {
        public Registration {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(record, "record");
        }

        /** An unchanged declaration writes nothing, so re-registering never adds to the log. */
        public boolean needsWrite() {
            return outcome != RegistrationOutcome.UNCHANGED;
        }
    }

    /**
     * Checks {@code declaration}, sent with {@code eventTenant}: every problem found, or the identity it
     * registers under. The identity is derived only when every rule holds (a placeholder fingerprint would
     * give unrelated devices one id).
     */
    public Result<Admitted> admit(String eventTenant, DeviceDeclaration declaration) {
        List<Problem> problems = rules.check(eventTenant, declaration);
        if (!problems.isEmpty()) {
            return Result.rejected(problems);
        }
        return Result.accepted(new Admitted(eventTenant, declaration, identity.of(eventTenant, declaration.fingerprint())));
    }

    /** What registering {@code admitted} does, given the record stored under its id (if any). */
    public Registration register(Admitted admitted, Optional<DeviceRecord> stored, Instant now) {
        DeviceRecord proposed = new DeviceRecord(admitted.deviceId(), admitted.tenant(), 1, admitted.declaration().capabilities(),
                admitted.identity().fingerprintDigest(), now, now);
        if (stored.isEmpty()) {
            return new Registration(RegistrationOutcome.CREATED, proposed);
        }
        DeviceRecord current = stored.get();
        if (current.capabilities().equals(proposed.capabilities()) && Objects.equals(current.fingerprintDigest(), proposed.fingerprintDigest())) {
            return new Registration(RegistrationOutcome.UNCHANGED, current);
        }
        return new Registration(RegistrationOutcome.UPDATED, new DeviceRecord(current.deviceId(), current.tenant(), current.generation() + 1,
                proposed.capabilities(), proposed.fingerprintDigest(), current.registeredAt(), now));
    }

    /**
     * Checks a deregistration sent with {@code eventTenant} against the record stored under its device id:
     * every problem, or the record to tombstone.
     */
    public Result<DeviceRecord> deregister(String eventTenant, DeviceDeregistrationRequested request, Optional<DeviceRecord> stored) {
        if (eventTenant == null) {
            return Result.rejected(List.of(new Problem("tenant", "tenant is required: a device is deregistered in the tenant it belongs to")));
        }
        if (!eventTenant.equals(request.tenant())) {
            return Result.rejected(List.of(new Problem("data.tenant", "data.tenant '" + request.tenant() + "' does not match the event's tenant '"
                    + eventTenant + "': a device can only be deregistered in its own tenant")));
        }
        if (stored.isEmpty() || !stored.get().tenant().equals(eventTenant)) {
            return Result.rejected(List.of(new Problem("data.deviceId", "data.deviceId '" + request.deviceId() + "' is not registered in tenant '"
                    + eventTenant + "' (never registered, or already deregistered)")));
        }
        return Result.accepted(stored.get());
    }
}
