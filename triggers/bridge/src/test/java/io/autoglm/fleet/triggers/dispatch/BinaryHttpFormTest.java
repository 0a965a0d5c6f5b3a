package io.autoglm.fleet.triggers.dispatch;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.fixtures.DetachedMessages;
import io.autoglm.fleet.events.fixtures.EventComparison;
import io.autoglm.fleet.events.fixtures.ValidEvents;
import io.autoglm.fleet.events.pulsar.PulsarMessageFactory;
import io.autoglm.fleet.events.validation.EventValidator;
import io.autoglm.fleet.events.validation.HttpEvents;
import io.autoglm.fleet.events.validation.Validation;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonFormat;
import org.apache.pulsar.client.api.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BinaryHttpFormTest {

    static List<CloudEvent> events() {
        return ValidEvents.all();
    }

    @ParameterizedTest
    @MethodSource("events")
    void aBinaryPulsarMessageBecomesTheSameEventOverHttp(CloudEvent event) {
        Message<byte[]> message = DetachedMessages.toMessage(PulsarMessageFactory.createWriter(DetachedMessages.builder()).writeBinary(event));

        OutboundEvent request = BinaryHttpForm.of(message.getProperties(), message.getValue());

        Validation read = HttpEvents.read(EventValidator.standard(), request.headers(), request.body()).get(0);
        assertThat(read.isValid()).as(read.summary()).isTrue();
        EventComparison.assertSameEvent(read.event(), event);
        assertThat(request.headers()).extracting(Map.Entry::getKey).contains("ce-id", "ce-type", "ce-dataschema", "Content-Type")
                .noneMatch(name -> name.startsWith("ce_"));
    }

    @Test
    void aStructuredPulsarMessageIsDeliveredInBinaryModeToo() {
        CloudEvent event = ValidEvents.of(EventType.DEVICE_REGISTRATION_REQUESTED);
        Message<byte[]> message = DetachedMessages.toMessage(PulsarMessageFactory.createWriter(DetachedMessages.builder()).writeStructured(event, JsonFormat.CONTENT_TYPE));

        OutboundEvent request = BinaryHttpForm.of(PulsarMessageFactory.createReader(message).toEvent());

        assertThat(request.headers()).contains(Map.entry("ce-specversion", "1.0"), Map.entry("Content-Type", "application/json"));
        Validation read = HttpEvents.read(EventValidator.standard(), request.headers(), request.body()).get(0);
        assertThat(read.isValid()).as(read.summary()).isTrue();
        EventComparison.assertSameEvent(read.event(), event);
    }

    @Test
    void valuesArePercentEncodedWhereTheHttpBindingRequiresIt() {
        assertThat(BinaryHttpForm.percentEncode("/devices/agents/r5ct")).isEqualTo("/devices/agents/r5ct");
        assertThat(BinaryHttpForm.percentEncode("a b\"c%d")).isEqualTo("a%20b%22c%25d");
        assertThat(BinaryHttpForm.percentEncode("Gerät €")).isEqualTo("Ger%C3%A4t%20%E2%82%AC");

        CloudEvent event = CloudEventBuilder.v1(ValidEvents.of(EventType.DEVICE_HEARTBEAT)).withSubject("Gerät 7 \"Küche\"").build();
        OutboundEvent request = BinaryHttpForm.of(event);
        assertThat(request.headers()).contains(Map.entry("ce-subject", "Ger%C3%A4t%207%20%22K%C3%BCche%22"));
        assertThat(HttpEvents.read(EventValidator.standard(), request.headers(), request.body()).get(0).event().getSubject())
                .isEqualTo("Gerät 7 \"Küche\"");
    }
}
