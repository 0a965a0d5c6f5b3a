package io.autoglm.fleet.events.pulsar;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.events.fixtures.DetachedMessages;
import io.autoglm.fleet.events.fixtures.EventComparison;
import io.autoglm.fleet.events.fixtures.InvalidEvent;
import io.autoglm.fleet.events.fixtures.InvalidEvents;
import io.autoglm.fleet.events.fixtures.SamplePayloads;
import io.autoglm.fleet.events.fixtures.ValidEvents;
import io.autoglm.fleet.events.validation.EventValidator;
import io.autoglm.fleet.events.validation.Validation;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.core.message.MessageReader;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.rw.CloudEventRWException;
import org.apache.pulsar.client.api.Message;
import org.apache.pulsar.client.api.TypedMessageBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PulsarMessageFactoryTest {

    static List<CloudEvent> roundTripEvents() {
        return ValidEvents.roundTrip();
    }

    static List<InvalidEvent> invalidEvents() {
        return InvalidEvents.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roundTripEvents")
    void binaryModeRoundTripsEveryAttributeAndExtensionType(CloudEvent event) {
        Message<byte[]> message = DetachedMessages.toMessage(
                PulsarMessageFactory.createWriter(DetachedMessages.builder()).writeBinary(event));

        MessageReader reader = PulsarMessageFactory.createReader(message.getProperties(), message.getValue(), ValidEvents.extensions());

        assertThat(reader.getEncoding()).isEqualTo(Encoding.BINARY);
        EventComparison.assertSameEvent(reader.toEvent(), event);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roundTripEvents")
    void structuredModeRoundTripsEveryAttributeAndExtensionType(CloudEvent event) {
        Message<byte[]> message = DetachedMessages.toMessage(
                PulsarMessageFactory.createWriter(DetachedMessages.builder()).writeStructured(event, JsonFormat.CONTENT_TYPE));

        MessageReader reader = PulsarMessageFactory.createReader(message.getProperties(), message.getValue(), ValidEvents.extensions());

        assertThat(reader.getEncoding()).isEqualTo(Encoding.STRUCTURED);
        assertThat(message.getProperty("content-type")).isEqualTo("application/cloudevents+json");
        EventComparison.assertSameEvent(reader.toEvent(), event);
    }

    @Test
    void binaryModeMapsAttributesToCePropertiesTheKeyToTheDeviceAndTheEventTimeToTime() {
        CloudEvent event = ValidEvents.of(EventType.DEVICE_HEARTBEAT);

        Message<byte[]> message = DetachedMessages.toMessage(
                PulsarMessageFactory.createWriter(DetachedMessages.builder()).writeBinary(event));

        assertThat(message.getProperties()).containsEntry("ce_specversion", "1.0")
                .containsEntry("ce_id", event.getId())
                .containsEntry("ce_type", "io.autoglm.device.heartbeat")
                .containsEntry("ce_source", "/fleet/fixtures")
                .containsEntry("ce_time", "2026-11-21T13:05:00.123456789Z")
                .containsEntry("ce_tenant", "acme")
                .containsEntry("content-type", "application/json")
                .doesNotContainKey("ce_datacontenttype");
        assertThat(message.getKey()).isEqualTo(SamplePayloads.DEVICE_ID);
        assertThat(message.getEventTime()).isEqualTo(ValidEvents.TIME.toInstant().toEpochMilli());
        assertThat(message.getValue()).isEqualTo(event.getData().toBytes());
    }

    @Test
    void structuredModeAlsoKeysByDeviceAndStampsTheEventTime() {
        CloudEvent event = ValidEvents.of(EventType.DEVICE_HEARTBEAT);

        Message<byte[]> message = DetachedMessages.toMessage(
                PulsarMessageFactory.createWriter(DetachedMessages.builder()).writeStructured(event, JsonFormat.CONTENT_TYPE));

        assertThat(message.getKey()).isEqualTo(SamplePayloads.DEVICE_ID);
        assertThat(message.getEventTime()).isEqualTo(ValidEvents.TIME.toInstant().toEpochMilli());
    }

    @Test
    void contractExtensionsComeBackTypedWithTheDefaultReader() {
        CloudEvent event = ValidEvents.withEveryAttributeType();
        TypedMessageBuilder<byte[]> builder = PulsarMessageFactory.createWriter(DetachedMessages.builder()).writeBinary(event);

        CloudEvent read = PulsarMessageFactory.createReader(DetachedMessages.toMessage(builder)).toEvent();

        assertThat(read.getExtension("deliveryattempts")).isEqualTo(3);
        assertThat(read.getExtension("aninteger")).as("undeclared extensions stay strings").isEqualTo("-2147483648");
    }

    @Test
    void aMessageThatIsNoCloudEventIsRefusedByTheReader() {
        assertThatThrownBy(() -> PulsarMessageFactory.createReader(Map.of("foo", "bar"), new byte[] {1}))
                .isInstanceOf(CloudEventRWException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidEvents")
    void rejectsEveryInvalidEventOfTheContractNamingTheCulprit(InvalidEvent invalid) {
        Validation validation = PulsarMessageFactory.validate(invalid.pulsarProperties(), invalid.body(), EventValidator.standard());

        assertThat(validation.isValid()).isFalse();
        assertThat(validation.problems()).extracting(Problem::location).contains(invalid.location());
    }

    @Test
    void aCapitalisedPropertyNameIsReportedNotRepaired() {
        Map<String, String> properties = new java.util.HashMap<>(new InvalidEvent("", false, InvalidEvents.validAttributes(),
                new byte[0], "").pulsarProperties());
        properties.put("ce_Tenant", properties.remove("ce_tenant"));

        Validation validation = PulsarMessageFactory.validate(properties,
                InvalidEvents.validData().getBytes(StandardCharsets.UTF_8), EventValidator.standard());

        assertThat(validation.problems()).extracting(Problem::location).containsExactlyInAnyOrder("Tenant", "tenant");
        assertThatThrownBy(() -> PulsarMessageFactory.createReader(properties, InvalidEvents.validData().getBytes(StandardCharsets.UTF_8)).toEvent())
                .isInstanceOf(CloudEventRWException.class);
    }

    @Test
    void validatesAValidMessage() {
        Message<byte[]> message = DetachedMessages.toMessage(PulsarMessageFactory.createWriter(DetachedMessages.builder())
                .writeBinary(ValidEvents.of(EventType.COMMAND_REQUESTED)));

        Validation validation = PulsarMessageFactory.validate(message, EventValidator.standard());

        assertThat(validation.problems()).isEmpty();
        assertThat(validation.event()).isEqualTo(ValidEvents.of(EventType.COMMAND_REQUESTED));
    }

    @Test
    void saysWhenAMessageIsNotACloudEventAtAll() {
        Validation validation = PulsarMessageFactory.validate(Map.of("content-type", "application/json"), new byte[] {'{', '}'},
                EventValidator.standard());

        assertThat(validation.summary()).contains("not a CloudEvent").contains("ce_specversion");
    }
}
