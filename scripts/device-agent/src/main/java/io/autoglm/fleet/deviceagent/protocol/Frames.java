package io.autoglm.fleet.deviceagent.protocol;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;

import java.nio.charset.StandardCharsets;

/** The socket's frames: one structured-mode JSON CloudEvent per text frame, as the CloudEvents WebSocket binding has it. */
final class Frames {

    private static final EventFormat JSON = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);

    private Frames() {
    }

    static String write(CloudEvent event) {
        return new String(JSON.serialize(event), StandardCharsets.UTF_8);
    }

    /** The event in a frame; {@code IllegalArgumentException} when it is not a CloudEvent in JSON. */
    static CloudEvent read(String frame) {
        try {
            return JSON.deserialize(frame.getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a structured CloudEvent: " + e.getMessage(), e);
        }
    }
}
