package io.autoglm.fleet.triggers.gateway;

import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.fixtures.ValidEvents;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonFormat;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The frames the gateway writes are the JSON event format, as the CloudEvents SDK writes and reads it. */
class SessionFramesTest {

    private static final JsonFormat SDK = new JsonFormat();

    private static List<CloudEvent> events() {
        List<CloudEvent> events = new ArrayList<>(ValidEvents.all());
        events.add(ValidEvents.withEveryAttributeType());
        events.add(CloudEventBuilder.v1(ValidEvents.of(EventType.DEVICE_HEARTBEAT)).withId("text-data")
                .withData("text/plain", "not json".getBytes(StandardCharsets.UTF_8)).build());
        return events;
    }

    @Test
    void everyEventIsWrittenAsTheSdkWritesIt() {
        for (CloudEvent event : events()) {
            String frame = SessionFrames.frame(event);
            assertThat(EventJson.tree(frame.getBytes(StandardCharsets.UTF_8)))
                    .as(event.getId()).isEqualTo(EventJson.tree(SDK.serialize(event)));
        }
    }

    @Test
    void everyFrameReadsBackAsTheEvent() {
        for (CloudEvent event : events()) {
            CloudEvent read = SDK.deserialize(SessionFrames.frame(event).getBytes(StandardCharsets.UTF_8));
            assertThat(read.getId()).isEqualTo(event.getId());
            assertThat(read.getExtensionNames()).isEqualTo(event.getExtensionNames());
            if (event.getDataContentType().startsWith("text/")) {
                assertThat(read.getData().toBytes()).isEqualTo(event.getData().toBytes());
            } else {
                assertThat(EventJson.tree(read.getData().toBytes())).as(event.getId()).isEqualTo(EventJson.tree(event.getData().toBytes()));
            }
        }
    }

    @Test
    void aCommandsIdIsReadWithoutMappingItsPayload() {
        assertThat(DeviceSessions.commandId(ValidEvents.of(EventType.COMMAND_DISPATCHED))).isEqualTo("cmd-0001");
        assertThat(DeviceSessions.commandId(CloudEventBuilder.v1(ValidEvents.of(EventType.COMMAND_DISPATCHED))
                .withData("application/json", "{\"action\":{\"commandId\":\"nested\"},\"commandId\":\"top\"}".getBytes()).build()))
                .isEqualTo("top");
        assertThat(DeviceSessions.commandId(CloudEventBuilder.v1(ValidEvents.of(EventType.COMMAND_DISPATCHED))
                .withData("application/json", "[1]".getBytes()).build())).isNull();
    }
}
