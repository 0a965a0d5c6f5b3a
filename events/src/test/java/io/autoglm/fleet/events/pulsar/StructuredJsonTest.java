package io.autoglm.fleet.events.pulsar;

import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.fixtures.DetachedMessages;
import io.autoglm.fleet.events.fixtures.ValidEvents;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.jackson.JsonFormat;
import org.apache.pulsar.client.api.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StructuredJsonTest {

    private static final EventFormat SDK = new JsonFormat();

    /** Every event type's fixture, every attribute and extension type, and data that is not JSON. */
    static List<CloudEvent> events() {
        List<CloudEvent> events = new ArrayList<>(ValidEvents.roundTrip());
        for (EventType type : EventType.values()) {
            events.add(ValidEvents.of(type));
        }
        events.add(CloudEventBuilder.v1(ValidEvents.of(EventType.DEVICE_HEARTBEAT)).withId("text-data")
                .withData("text/plain", "not json".getBytes(StandardCharsets.UTF_8)).build());
        events.add(CloudEventBuilder.v1(ValidEvents.of(EventType.DEVICE_HEARTBEAT)).withId("json-string-data")
                .withData("application/json", "\"a string\"".getBytes(StandardCharsets.UTF_8)).build());
        return events;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("events")
    void anEventIsWrittenAsTheSdkWritesIt(CloudEvent event) {
        assertThat(EventJson.tree(StructuredJson.write(event))).isEqualTo(EventJson.tree(SDK.serialize(event)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("events")
    void aBinaryModeMessageIsWrittenAsItsEventIs(CloudEvent event) {
        Message<byte[]> message = DetachedMessages.toMessage(PulsarMessageFactory.createWriter(DetachedMessages.builder()).writeBinary(event));

        byte[] frame = StructuredJson.write(message.getProperties(), message.getValue(), ValidEvents.extensions());

        assertThat(EventJson.tree(frame)).isEqualTo(EventJson.tree(SDK.serialize(event)));
    }

    @Test
    void aStructuredModeMessageIsItsValue() {
        CloudEvent event = ValidEvents.of(EventType.COMMAND_DISPATCHED);
        Message<byte[]> message = DetachedMessages.toMessage(
                PulsarMessageFactory.createWriter(DetachedMessages.builder()).writeStructured(event, JsonFormat.CONTENT_TYPE));

        assertThat(StructuredJson.write(message.getProperties(), message.getValue())).isSameAs(message.getValue());
    }

    @Test
    void aMessageThatIsNoCloudEventIsRefused() {
        assertThatThrownBy(() -> StructuredJson.write(Map.of("key", "value"), "{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ce_specversion");
    }
}
