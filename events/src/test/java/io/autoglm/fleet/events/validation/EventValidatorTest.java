package io.autoglm.fleet.events.validation;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.events.device.DeviceDeclaration;
import io.autoglm.fleet.events.fixtures.InvalidEvent;
import io.autoglm.fleet.events.fixtures.InvalidEvents;
import io.autoglm.fleet.events.fixtures.SamplePayloads;
import io.autoglm.fleet.events.fixtures.ValidEvents;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventValidatorTest {

    private final EventValidator validator = EventValidator.standard();
    private final EventFormat json = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);

    static List<InvalidEvent> invalidEvents() {
        return InvalidEvents.all();
    }

    @Test
    void acceptsTheValidBinaryRequestAndDecodesItsPayload() {
        Validation validation = validator.validateBinary(InvalidEvents.validAttributes(),
                InvalidEvents.validData().getBytes(StandardCharsets.UTF_8));

        assertThat(validation.problems()).isEmpty();
        assertThat(validation.type()).isEqualTo(EventType.DEVICE_REGISTRATION_REQUESTED);
        assertThat(validation.event().getExtension("tenant")).isEqualTo("acme");
        assertThat(validation.payload(DeviceDeclaration.class)).isEqualTo(SamplePayloads.declaration());
    }

    @Test
    void acceptsTheValidStructuredRequest() {
        Validation validation = validator.validateStructured(InvalidEvents.validStructured().getBytes(StandardCharsets.UTF_8));

        assertThat(validation.problems()).isEmpty();
        assertThat(validation.payload(DeviceDeclaration.class)).isEqualTo(SamplePayloads.declaration());
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void acceptsTheSampleOfEveryTypeInEveryForm(EventType type) {
        CloudEvent event = ValidEvents.of(type);

        assertThat(validator.validate(event).problems()).isEmpty();
        Validation structured = validator.validateStructured(json.serialize(event));
        assertThat(structured.problems()).isEmpty();
        assertThat(structured.event()).isEqualTo(event);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidEvents")
    void rejectsEveryInvalidEventNamingTheCulprit(InvalidEvent invalid) {
        Validation validation = invalid.structured()
                ? validator.validateStructured(invalid.body())
                : validator.validateBinary(invalid.attributes(), invalid.body());

        assertThat(validation.isValid()).as("%s should be rejected", invalid.name()).isFalse();
        assertThat(validation.problems()).extracting(Problem::location).contains(invalid.location());
        Problem problem = validation.problems().stream().filter(p -> p.location().equals(invalid.location())).findFirst().orElseThrow();
        if (!invalid.location().isEmpty()) {
            assertThat(problem.message()).contains(invalid.location());
        }
        assertThat(problem.message()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void saysWhatIsWrongWithADataFieldAndWhatItGot() {
        Validation validation = validate(InvalidEvents.validData().replace("\"memoryMb\":12288", "\"memoryMb\":-5"));

        assertThat(validation.problems()).extracting(Problem::message)
                .containsExactly("data.capabilities.hardware.memoryMb must be >= 64, got -5");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        Map<String, String> attributes = InvalidEvents.validAttributes();
        attributes.put("time", "lunchtime");
        attributes.put("source", "/with space");
        attributes.put("Tenant", "acme");
        String data = InvalidEvents.validData()
                .replace("\"memoryMb\":12288", "\"memoryMb\":-5")
                .replace("\"cpuCores\":8", "\"cpuCores\":0");

        Validation validation = validator.validateBinary(attributes, data.getBytes(StandardCharsets.UTF_8));

        assertThat(validation.problems()).extracting(Problem::location).containsExactlyInAnyOrder(
                "time", "source", "Tenant",
                "data.capabilities.hardware.memoryMb", "data.capabilities.hardware.cpuCores");
        assertThatThrownBy(validation::event).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("time must be an RFC 3339 timestamp like 2026-11-21T13:05:00Z, got 'lunchtime'");
    }

    @Test
    void explainsTimeProblemsPrecisely() {
        assertThat(timeProblem("2018-04-05T18:31Z")).isEqualTo(
                "time must be an RFC 3339 timestamp like 2026-11-21T13:05:00Z, got '2018-04-05T18:31Z'");
        assertThat(timeProblem("2018-04-05T18:31:00+25:00")).startsWith(
                "time is not a valid RFC 3339 timestamp: '2018-04-05T18:31:00+25:00'");
    }

    @Test
    void namesTheValidChoicesForAnEnum() {
        Validation validation = validate(InvalidEvents.validData().replace("\"ANDROID\"", "\"BLACKBERRY\""));

        assertThat(validation.problems()).extracting(Problem::message).containsExactly(
                "data.capabilities.platform must be one of ANDROID, HARMONYOS, IOS, LINUX, WASM, got 'BLACKBERRY'");
    }

    @Test
    void reportsInvalidDataJsonWithItsPosition() {
        Validation validation = validate("{\"tenant\": acme}");

        assertThat(validation.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.location()).isEqualTo("data");
            assertThat(problem.message()).startsWith("data is not valid JSON: ").contains("line 1, column");
        });
    }

    @Test
    void checksExtensionsOfAnAlreadyBuiltEvent() {
        CloudEvent event = CloudEventBuilder.v1(ValidEvents.of(EventType.DEVICE_HEARTBEAT))
                .withExtension("tenant", "Not Valid")
                .withExtension("deliveryattempts", "three")
                .build();

        assertThat(validator.validate(event).problems()).extracting(Problem::location)
                .containsExactlyInAnyOrder("tenant", "deliveryattempts");
    }

    @Test
    void validatesEachEventOfABatch() {
        String valid = InvalidEvents.validStructured();
        String invalid = valid.replace("\"id\":\"reg-0001\"", "\"id\":\"\"");

        List<Validation> batch = validator.validateBatch(("[" + valid + "," + invalid + "]").getBytes(StandardCharsets.UTF_8));

        assertThat(batch).extracting(Validation::isValid).containsExactly(true, false);
        assertThat(validator.validateBatch("{}".getBytes(StandardCharsets.UTF_8)))
                .singleElement().extracting(Validation::summary).asString().contains("must be a JSON array");
    }

    private String timeProblem(String time) {
        Map<String, String> attributes = InvalidEvents.validAttributes();
        attributes.put("time", time);
        return validator.validateBinary(attributes, InvalidEvents.validData().getBytes(StandardCharsets.UTF_8))
                .problems().get(0).message();
    }

    private Validation validate(String data) {
        return validator.validateBinary(InvalidEvents.validAttributes(), data.getBytes(StandardCharsets.UTF_8));
    }
}
