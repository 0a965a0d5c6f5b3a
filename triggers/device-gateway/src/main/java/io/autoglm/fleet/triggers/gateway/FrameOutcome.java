package io.autoglm.fleet.triggers.gateway;

import io.autoglm.fleet.events.command.CommandCompleted;
import io.autoglm.fleet.events.session.GatewayError;
import io.cloudevents.CloudEvent;

import java.util.Objects;

/** What becomes of one frame a device sent ({@link InboundFrames}). */
public sealed interface FrameOutcome {

    /** A valid event of the caller's, stamped with its tenant and device: write it to Pulsar. */
    record Forward(CloudEvent event) implements FrameOutcome {
        public Forward {
            Objects.requireNonNull(event, "event");
        }
    }

    /**
     * A valid {@code command.completed} with its screenshot inline: store {@code png} first, then
     * {@link InboundFrames#withScreenshot} gives the event to write, with the claim check in its place.
     */
    record StoreScreenshot(CloudEvent event, CommandCompleted completed, byte[] png, int width, int height) implements FrameOutcome {
        public StoreScreenshot {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(completed, "completed");
            Objects.requireNonNull(png, "png");
        }
    }

    /** The frame is refused: the device is told why ({@code gateway.error}), nothing is written, the socket stays open. */
    record Refuse(GatewayError error) implements FrameOutcome {
        public Refuse {
            Objects.requireNonNull(error, "error");
        }
    }

    /** The frame ends the connection: closed with {@code code} and {@code reason}, nothing written. */
    record Close(short code, String reason) implements FrameOutcome {
        public Close {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
