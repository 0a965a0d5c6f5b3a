package io.autoglm.fleet.triggers.gateway;

import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.session.GatewayError;
import io.cloudevents.CloudEvent;
import io.cloudevents.jackson.JsonFormat;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's own frames are JSON events the CloudEvents SDK reads, stamped as this replica's; a command's id is read
 * from its data without mapping the payload. (That a frame is the event as the SDK writes it, from an event or from a
 * binary-mode message, is StructuredJsonTest's, in events.)
 */
class SessionFramesTest {

    private static final JsonFormat SDK = new JsonFormat();

    @Test
    void anErrorFrameIsAnEventOfThisReplicaForTheCaller() {
        SessionFrames frames = new SessionFrames("device-gateway-1");

        byte[] frame = frames.error(InboundFramesTest.ACME_DEVICE, new GatewayError(InboundFrames.INVALID_EVENT, "no id", "e-1", List.of()));

        CloudEvent read = SDK.deserialize(frame);
        assertThat(read.getType()).isEqualTo(EventType.GATEWAY_ERROR.type());
        assertThat(read.getSource().toString()).isEqualTo("/autoglm/triggers/device-gateway/device-gateway-1");
        assertThat(read.getExtension("tenant")).isEqualTo("acme");
        assertThat(read.getExtension("partitionkey")).isEqualTo(InboundFramesTest.ACME_DEVICE.deviceId());
        assertThat(EventJson.tree(read.getData().toBytes()).path("code").asText()).isEqualTo(InboundFrames.INVALID_EVENT);
    }

    @Test
    void aCommandsIdIsReadWithoutMappingItsPayload() {
        assertThat(DeviceSessions.commandId(bytes("{\"commandId\":\"cmd-0001\",\"deviceId\":\"d-1\"}"))).isEqualTo("cmd-0001");
        assertThat(DeviceSessions.commandId(bytes("{\"action\":{\"commandId\":\"nested\"},\"commandId\":\"top\"}"))).isEqualTo("top");
        assertThat(DeviceSessions.commandId(bytes("[1]"))).isNull();
        assertThat(DeviceSessions.commandId(bytes("{\"commandId\":7}"))).isNull();
        assertThat(DeviceSessions.commandId(bytes("not json"))).isNull();
        assertThat(DeviceSessions.commandId(null)).isNull();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
