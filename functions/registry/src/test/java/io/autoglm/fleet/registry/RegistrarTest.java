package io.autoglm.fleet.registry;

import io.autoglm.fleet.events.device.AgentAction;
import io.autoglm.fleet.events.device.DeviceCapabilities;
import io.autoglm.fleet.events.device.DeviceDeclaration;
import io.autoglm.fleet.events.device.DeviceDeregistrationRequested;
import io.autoglm.fleet.events.device.DeviceRecord;
import io.autoglm.fleet.events.device.Platform;
import io.autoglm.fleet.events.device.RegistrationOutcome;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RegistrarTest {

    private static final Instant T0 = Instant.parse("2026-11-21T13:05:00Z");
    private static final Instant T1 = T0.plusSeconds(60);

    private final Registrar registrar = new Registrar(new DeviceIdentity("a-test-key-of-32-bytes-or-so!!!!".getBytes(StandardCharsets.UTF_8)),
            new DeclarationRules(AgentVersion.parse("1.0.0")));

    @Test
    void aNewDeviceIsCreatedAtGenerationOneWithoutItsRawFingerprint() {
        Registrar.Registration registration = registrar.register(admit(Declarations.phone()), Optional.empty(), T0);

        assertThat(registration.outcome()).isEqualTo(RegistrationOutcome.CREATED);
        assertThat(registration.needsWrite()).isTrue();
        DeviceRecord record = registration.record();
        assertThat(record.generation()).isEqualTo(1);
        assertThat(record.tenant()).isEqualTo("acme");
        assertThat(record.registeredAt()).isEqualTo(T0).isEqualTo(record.updatedAt());
        assertThat(record.capabilities()).isEqualTo(Declarations.phone().capabilities());
        assertThat(record.toString()).doesNotContain("R5CT1234ABC").doesNotContain("3c:22:fb");
    }

    @Test
    void registeringTheSameDeclarationAgainChangesNothingAndWritesNothing() {
        DeviceRecord stored = registrar.register(admit(Declarations.phone()), Optional.empty(), T0).record();

        Registrar.Registration again = registrar.register(admit(Declarations.phone()), Optional.of(stored), T1);

        assertThat(again.outcome()).isEqualTo(RegistrationOutcome.UNCHANGED);
        assertThat(again.needsWrite()).isFalse();
        assertThat(again.record()).isEqualTo(stored);
    }

    @Test
    void aChangedDeclarationKeepsTheIdAndBumpsTheGeneration() {
        DeviceRecord stored = registrar.register(admit(Declarations.phone()), Optional.empty(), T0).record();
        DeviceCapabilities fewerActions = Declarations.phoneWith(Platform.ANDROID, List.of(AgentAction.TAP, AgentAction.BACK));

        Registrar.Registration updated = registrar.register(admit(Declarations.with(fewerActions)), Optional.of(stored), T1);

        assertThat(updated.outcome()).isEqualTo(RegistrationOutcome.UPDATED);
        assertThat(updated.record().deviceId()).isEqualTo(stored.deviceId());
        assertThat(updated.record().generation()).isEqualTo(2);
        assertThat(updated.record().registeredAt()).isEqualTo(T0);
        assertThat(updated.record().updatedAt()).isEqualTo(T1);
        assertThat(updated.record().capabilities().supportedActions()).containsExactly(AgentAction.TAP, AgentAction.BACK);
    }

    @Test
    void aRejectedDeclarationGetsNoIdentityAndEveryProblem() {
        Result<Registrar.Admitted> result = registrar.admit("globex",
                new DeviceDeclaration("acme", Declarations.phoneWith(Platform.IOS, List.of(AgentAction.BACK)), Declarations.phone().fingerprint()));

        assertThat(result.isAccepted()).isFalse();
        assertThat(result.problems()).extracting(p -> p.location()).containsExactly("data.tenant", "data.capabilities.supportedActions[0]");
    }

    @Test
    void deregistrationNeedsTheDeviceInTheSendersTenant() {
        DeviceRecord stored = registrar.register(admit(Declarations.phone()), Optional.empty(), T0).record();
        DeviceDeregistrationRequested request = new DeviceDeregistrationRequested(stored.deviceId(), "acme", "retired");

        assertThat(registrar.deregister("acme", request, Optional.of(stored)).value()).isEqualTo(stored);
        assertThat(registrar.deregister("globex", request, Optional.of(stored)).problems()).extracting(p -> p.message())
                .containsExactly("data.tenant 'acme' does not match the event's tenant 'globex': a device can only be deregistered in its own tenant");
        assertThat(registrar.deregister("acme", request, Optional.empty()).problems()).extracting(p -> p.message())
                .containsExactly("data.deviceId '" + stored.deviceId() + "' is not registered in tenant 'acme' (never registered, or already deregistered)");
    }

    private Registrar.Admitted admit(DeviceDeclaration declaration) {
        return registrar.admit("acme", declaration).value();
    }
}
