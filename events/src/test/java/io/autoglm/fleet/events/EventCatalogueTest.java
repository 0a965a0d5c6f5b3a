package io.autoglm.fleet.events;

import io.autoglm.fleet.events.fixtures.SamplePayloads;
import io.autoglm.fleet.events.validation.EventValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InputStream;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class EventCatalogueTest {

    @Test
    void typeStringsAreUniqueReverseDnsUnderIoAutoglm() {
        Set<String> types = Arrays.stream(EventType.values()).map(EventType::type).collect(Collectors.toSet());
        assertThat(types).hasSize(EventType.values().length);
        assertThat(types).allMatch(type -> type.matches("io\\.autoglm(\\.[a-z]+)+"));
        assertThat(EventType.fromType("io.autoglm.device.heartbeat")).contains(EventType.DEVICE_HEARTBEAT);
        assertThat(EventType.fromType("io.autoglm.device.unknown")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyTypeHasASchemaThatDataschemaPointsAt(EventType type) throws Exception {
        try (InputStream schema = getClass().getClassLoader().getResourceAsStream(type.schemaResource())) {
            assertThat(schema).as(type.schemaResource()).isNotNull();
            String id = EventJson.mapper().readTree(schema).get("$id").asText();
            assertThat(id).isEqualTo(type.dataSchema().toString());
        }
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void samplePayloadSatisfiesItsSchemaAndRoundTripsThroughJson(EventType type) {
        Object payload = SamplePayloads.of(type);
        assertThat(payload).isInstanceOf(type.payloadType());
        byte[] json = EventJson.write(payload);

        assertThat(EventValidator.standard().validateData(type, EventJson.tree(json))).isEmpty();
        assertThat(EventJson.read(json, type.payloadType())).isEqualTo(payload);
    }

    @Test
    void anAgentStepAndItsAnswerSatisfyTheirSchemasAndRoundTrip() {
        for (Object payload : java.util.List.of(SamplePayloads.agentStepRequested(), SamplePayloads.agentStepCompleted())) {
            EventType type = payload instanceof io.autoglm.fleet.events.inference.InferenceRequested ? EventType.INFERENCE_REQUESTED
                    : EventType.INFERENCE_COMPLETED;
            byte[] json = EventJson.write(payload);
            assertThat(EventValidator.standard().validateData(type, EventJson.tree(json))).as(new String(json)).isEmpty();
            assertThat(EventJson.read(json, type.payloadType())).isEqualTo(payload);
        }
        for (io.autoglm.fleet.events.agent.StepAction action : java.util.List.of(new io.autoglm.fleet.events.agent.StepAction.Back(),
                new io.autoglm.fleet.events.agent.StepAction.Wait(java.time.Duration.ofMillis(1500)),
                new io.autoglm.fleet.events.agent.StepAction.Swipe(new io.autoglm.fleet.events.agent.RelativePoint(1, 2),
                        new io.autoglm.fleet.events.agent.RelativePoint(3, 999)))) {
            var completed = SamplePayloads.agentStepCompleted();
            var answered = new io.autoglm.fleet.events.inference.InferenceCompleted(completed.requestId(), completed.model(), completed.version(),
                    null, null, "remote", 1, 0, 1, new io.autoglm.fleet.events.inference.AgentStepResult("x", "", "x", action, null, 1, 2, 3, 4));
            assertThat(EventValidator.standard().validateData(EventType.INFERENCE_COMPLETED, EventJson.tree(EventJson.write(answered))))
                    .as(new String(EventJson.write(answered))).isEmpty();
        }
    }

    @Test
    void anObservationCarriesEitherTheImageOnTheSocketOrItsClaimCheckNeverBoth() {
        var validator = EventValidator.standard();
        var onTheSocket = SamplePayloads.commandCompletedOnTheSocket();
        assertThat(validator.validateData(EventType.COMMAND_COMPLETED, EventJson.tree(EventJson.write(onTheSocket)))).isEmpty();
        assertThat(onTheSocket.observation().inline()).isTrue();

        var stored = onTheSocket.observation().withScreenshot(SamplePayloads.screenshot());
        assertThat(stored.inline()).isFalse();
        assertThat(stored.width()).isEqualTo(1080);

        var both = new io.autoglm.fleet.events.command.Observation(SamplePayloads.screenshot(), onTheSocket.observation().png(), 1, 1,
                null, false);
        var completed = new io.autoglm.fleet.events.command.CommandCompleted("cmd-1", SamplePayloads.DEVICE_ID, null, both, null);
        assertThat(validator.validateData(EventType.COMMAND_COMPLETED, EventJson.tree(EventJson.write(completed)))).isNotEmpty();

        var secure = new io.autoglm.fleet.events.command.CommandCompleted("cmd-1", SamplePayloads.DEVICE_ID, null,
                io.autoglm.fleet.events.command.Observation.sensitive("com.bank.app"), null);
        assertThat(validator.validateData(EventType.COMMAND_COMPLETED, EventJson.tree(EventJson.write(secure)))).isEmpty();
    }

    @Test
    void onlyTheServiceEndsACommandAndTerminalStatesAreFinal() {
        assertThat(java.util.EnumSet.allOf(io.autoglm.fleet.events.command.CommandState.class).stream()
                .filter(io.autoglm.fleet.events.command.CommandState::terminal).map(Enum::name))
                .containsExactly("SUCCEEDED", "FAILED", "REJECTED", "TIMED_OUT", "EXPIRED", "CANCELED");
    }

    @Test
    void eventsCarryTheCatalogueAttributes() {
        var event = Events.newEvent(EventType.DEVICE_HEARTBEAT, java.net.URI.create("/devices/x"), "acme", "dev-1",
                SamplePayloads.heartbeat()).build();
        assertThat(event.getType()).isEqualTo("io.autoglm.device.heartbeat");
        assertThat(event.getDataSchema()).isEqualTo(EventType.DEVICE_HEARTBEAT.dataSchema());
        assertThat(event.getDataContentType()).isEqualTo("application/json");
        assertThat(Events.tenant(event)).isEqualTo("acme");
        assertThat(Events.partitionKey(event)).isEqualTo("dev-1");
        assertThat(Events.payload(event, io.autoglm.fleet.events.device.DeviceHeartbeat.class)).isEqualTo(SamplePayloads.heartbeat());
    }

    @Test
    void refusesAPayloadOfTheWrongTypeOrAMissingTenant() {
        var source = java.net.URI.create("/x");
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                        Events.newEvent(EventType.DEVICE_HEARTBEAT, source, "acme", null, SamplePayloads.declaration()))
                .hasMessageContaining("carries DeviceHeartbeat, not DeviceDeclaration");
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                        Events.newEvent(EventType.DEVICE_HEARTBEAT, source, null, null, SamplePayloads.heartbeat()))
                .hasMessageContaining("needs a tenant");
    }
}
