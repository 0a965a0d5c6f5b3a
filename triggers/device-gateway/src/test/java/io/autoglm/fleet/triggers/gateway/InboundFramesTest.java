package io.autoglm.fleet.triggers.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.agent.ScreenshotRef;
import io.autoglm.fleet.events.command.CommandCompleted;
import io.autoglm.fleet.events.command.Observation;
import io.autoglm.fleet.events.device.DeviceHeartbeat;
import io.autoglm.fleet.events.fixtures.SamplePayloads;
import io.autoglm.fleet.events.fixtures.ValidEvents;
import io.autoglm.fleet.events.session.GatewayError;
import io.autoglm.fleet.events.validation.EventValidator;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** Every way a device's frame is written or refused, without a socket or a broker. */
class InboundFramesTest {

    static final String DEVICE = SamplePayloads.DEVICE_ID;
    static final Caller.Device ACME_DEVICE = new Caller.Device("acme", DEVICE, Caller.Proof.CREDENTIAL);
    static final Caller.Enrolment ACME_ENROLMENT = new Caller.Enrolment("acme");

    private final InboundFrames frames = new InboundFrames(EventValidator.standard(), 1 << 20, 16 << 10);

    /** The fixture event of {@code type} as a device sends it: without tenant and partition key, changed by {@code edit}. */
    static String frame(EventType type, Consumer<ObjectNode> edit) {
        ObjectNode event = (ObjectNode) EventJson.tree(SessionFrames.frame(ValidEvents.of(type)));
        event.remove("tenant");
        event.remove("partitionkey");
        edit.accept(event);
        return event.toString();
    }

    static String frame(EventType type) {
        return frame(type, event -> { });
    }

    private GatewayError refused(Caller caller, String frame) {
        FrameOutcome outcome = frames.read(caller, frame);
        assertThat(outcome).isInstanceOf(FrameOutcome.Refuse.class);
        return ((FrameOutcome.Refuse) outcome).error();
    }

    @Test
    void aDevicesHeartbeatIsForwardedStampedWithItsTenantAndDevice() {
        FrameOutcome outcome = frames.read(ACME_DEVICE, frame(EventType.DEVICE_HEARTBEAT));

        assertThat(outcome).isInstanceOf(FrameOutcome.Forward.class);
        CloudEvent event = ((FrameOutcome.Forward) outcome).event();
        assertThat(Events.tenant(event)).isEqualTo("acme");
        assertThat(Events.partitionKey(event)).isEqualTo(DEVICE);
        assertThat(Events.payload(event, DeviceHeartbeat.class).deviceId()).isEqualTo(DEVICE);
    }

    @Test
    void anEnrolmentsRegistrationIsForwardedForItsTenantWithoutAPartitionKeyOfTheDevicesChoosing() {
        FrameOutcome outcome = frames.read(ACME_ENROLMENT, frame(EventType.DEVICE_REGISTRATION_REQUESTED,
                event -> event.put("partitionkey", "chosen-by-the-device")));

        CloudEvent event = ((FrameOutcome.Forward) outcome).event();
        assertThat(Events.tenant(event)).isEqualTo("acme");
        assertThat(Events.partitionKey(event)).isNull();
    }

    @Test
    void aFrameThatIsNotJsonIsRefusedAsInvalidJson() {
        GatewayError error = refused(ACME_DEVICE, "{\"specversion\": \"1.0\", ");
        assertThat(error.code()).isEqualTo(InboundFrames.INVALID_JSON);
        assertThat(error.message()).startsWith("the frame is not JSON").doesNotContain("Exception", "\tat ");
    }

    @Test
    void aJsonValueThatIsNotOneEventIsRefusedAsInvalidJson() {
        GatewayError error = refused(ACME_DEVICE, "[" + frame(EventType.DEVICE_HEARTBEAT) + "]");
        assertThat(error.code()).isEqualTo(InboundFrames.INVALID_JSON);
        assertThat(error.message()).contains("got array");
    }

    @Test
    void anInvalidEventIsRefusedWithEveryProblem() {
        GatewayError error = refused(ACME_DEVICE, frame(EventType.DEVICE_HEARTBEAT, event -> {
            event.remove("specversion");
            ((ObjectNode) event.get("data")).put("seq", "not a number");
        }));
        assertThat(error.code()).isEqualTo(InboundFrames.INVALID_EVENT);
        assertThat(error.eventId()).isEqualTo("fixture-device-heartbeat");
        assertThat(error.problems()).extracting(problem -> problem.location()).contains("specversion", "data.seq");
    }

    @Test
    void anUnknownTypeIsRefusedAsUnknown() {
        GatewayError error = refused(ACME_DEVICE, frame(EventType.DEVICE_HEARTBEAT, event -> event.put("type", "io.autoglm.device.selfie")));
        assertThat(error.code()).isEqualTo(InboundFrames.UNKNOWN_TYPE);
        assertThat(error.message()).contains("io.autoglm.device.selfie");
    }

    @Test
    void aTypeADeviceMayNotSendIsRefusedAsNotAllowed() {
        GatewayError command = refused(ACME_DEVICE, frame(EventType.COMMAND_DISPATCHED));
        assertThat(command.code()).isEqualTo(InboundFrames.NOT_ALLOWED);
        assertThat(command.message()).contains(EventType.COMMAND_DISPATCHED.type(), EventType.DEVICE_HEARTBEAT.type());

        GatewayError heartbeatOnEnrolment = refused(ACME_ENROLMENT, frame(EventType.DEVICE_HEARTBEAT));
        assertThat(heartbeatOnEnrolment.code()).isEqualTo(InboundFrames.NOT_ALLOWED);
        assertThat(heartbeatOnEnrolment.message()).contains("enrolment token may only send " + EventType.DEVICE_REGISTRATION_REQUESTED.type());
    }

    @Test
    void anEventAboutAnotherDeviceIsRefusedAsNotYours() {
        GatewayError inData = refused(ACME_DEVICE, frame(EventType.DEVICE_HEARTBEAT,
                event -> ((ObjectNode) event.get("data")).put("deviceId", "d-acme-someone-else")));
        assertThat(inData.code()).isEqualTo(InboundFrames.NOT_YOURS);
        assertThat(inData.message()).contains("data.deviceId is 'd-acme-someone-else'", "device '" + DEVICE + "'");

        GatewayError inKey = refused(ACME_DEVICE, frame(EventType.COMMAND_ACCEPTED, event -> event.put("partitionkey", "d-acme-other")));
        assertThat(inKey.code()).isEqualTo(InboundFrames.NOT_YOURS);
        assertThat(inKey.message()).contains("partitionkey is device 'd-acme-other'");
    }

    @Test
    void anEventForAnotherTenantIsRefusedAsNotYours() {
        GatewayError inAttribute = refused(ACME_DEVICE, frame(EventType.DEVICE_HEARTBEAT, event -> event.put("tenant", "globex")));
        assertThat(inAttribute.code()).isEqualTo(InboundFrames.NOT_YOURS);
        assertThat(inAttribute.message()).contains("tenant 'globex'", "tenant 'acme'");

        GatewayError inDeclaration = refused(ACME_ENROLMENT, frame(EventType.DEVICE_REGISTRATION_REQUESTED,
                event -> ((ObjectNode) event.get("data")).put("tenant", "globex")));
        assertThat(inDeclaration.code()).isEqualTo(InboundFrames.NOT_YOURS);
        assertThat(inDeclaration.message()).contains("data.tenant is 'globex'");
    }

    @Test
    void aFrameOverTheEventLimitWithoutAScreenshotIsRefusedAsTooLarge() {
        String padded = frame(EventType.COMMAND_PROGRESS, event -> event.put("padding", "x".repeat(20_000)));
        GatewayError error = refused(ACME_DEVICE, padded);
        assertThat(error.code()).isEqualTo(InboundFrames.TOO_LARGE);
        assertThat(error.message()).contains("16384 bytes");
    }

    @Test
    void aFrameOverTheFrameLimitClosesTheConnectionWith1009() {
        FrameOutcome outcome = frames.read(ACME_DEVICE, "x".repeat((1 << 20) + 1));
        assertThat(outcome).isEqualTo(new FrameOutcome.Close((short) 1009, "frame over 1048576 bytes"));
    }

    @Test
    void aBinaryFrameIsRefused() {
        FrameOutcome outcome = frames.binary();
        assertThat(((FrameOutcome.Refuse) outcome).error().code()).isEqualTo(InboundFrames.BINARY_FRAME);
    }

    @Test
    void anInlineScreenshotIsStoredFirstAndWrittenAsAClaimCheck() {
        byte[] png = Base64.getDecoder().decode(SamplePayloads.commandCompletedOnTheSocket().observation().png());
        String large = frame(EventType.COMMAND_COMPLETED, event -> {
            ObjectNode data = (ObjectNode) event.get("data");
            data.set("observation", EventJson.mapper().valueToTree(SamplePayloads.commandCompletedOnTheSocket().observation()));
            ((ObjectNode) data.get("observation")).remove("width");
            ((ObjectNode) data.get("observation")).remove("height");
            data.put("output", "y".repeat(20_000)); // over the event limit: a screenshot's frame may be
        });

        FrameOutcome outcome = frames.read(ACME_DEVICE, large);

        assertThat(outcome).isInstanceOf(FrameOutcome.StoreScreenshot.class);
        FrameOutcome.StoreScreenshot store = (FrameOutcome.StoreScreenshot) outcome;
        assertThat(store.png()).isEqualTo(png);
        assertThat(store.width()).as("read from the PNG's header").isEqualTo(1);
        assertThat(store.height()).isEqualTo(1);

        ScreenshotRef where = new ScreenshotRef(URI.create("file:///tmp/s.png"), "a".repeat(64), 1, 1);
        CloudEvent written = ((FrameOutcome.Forward) frames.withScreenshot(store, where)).event();
        Observation observation = Events.payload(written, CommandCompleted.class).observation();
        assertThat(observation.screenshot()).isEqualTo(where);
        assertThat(observation.png()).isNull();
        assertThat(new String(written.getData().toBytes())).doesNotContain("\"png\"");
        assertThat(Events.partitionKey(written)).isEqualTo(DEVICE);
    }

    @Test
    void aScreenshotThatIsNotABase64PngIsRefusedAsInvalid() {
        for (String png : new String[] {"not base64 at all!", Base64.getEncoder().encodeToString("GIF89a and more bytes of it".getBytes())}) {
            GatewayError error = refused(ACME_DEVICE, frame(EventType.COMMAND_COMPLETED, event -> {
                JsonNode observation = EventJson.mapper().valueToTree(new Observation(null, png, 2, 2, "app", false));
                ((ObjectNode) event.get("data")).set("observation", observation);
            }));
            assertThat(error.code()).isEqualTo(InboundFrames.INVALID_EVENT);
            assertThat(error.problems()).extracting(problem -> problem.location()).containsExactly("data.observation.png");
        }
    }

    @Test
    void aValidEventKeepsWhatTheDeviceSaid() {
        CloudEvent sent = CloudEventBuilder.v1(ValidEvents.of(EventType.COMMAND_FAILED)).withExtension("traceparent",
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01").build();
        FrameOutcome outcome = frames.read(ACME_DEVICE, new String(SessionFrames.frame(sent), StandardCharsets.UTF_8));
        CloudEvent forwarded = ((FrameOutcome.Forward) outcome).event();
        assertThat(forwarded.getId()).isEqualTo(sent.getId());
        assertThat(forwarded.getExtension("traceparent")).isEqualTo("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        assertThat(forwarded.getData().toBytes()).isEqualTo(sent.getData().toBytes());
    }
}
