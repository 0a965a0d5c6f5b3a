package io.autoglm.fleet.triggers.gateway;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.autoglm.fleet.events.pulsar.StructuredJson;
import io.autoglm.fleet.events.session.DeviceCredential;
import io.autoglm.fleet.events.session.GatewayDraining;
import io.autoglm.fleet.events.session.GatewayError;
import io.cloudevents.CloudEvent;

import java.net.URI;
import java.util.Objects;

/**
 * What the gateway writes down a socket: CloudEvents in the JSON event format (structured mode, the
 * {@code cloudevents.json} subprotocol), its own frames ({@code gateway.error}, {@code device.credential.issued},
 * {@code gateway.draining}) stamped as this replica's, and the events it relays (commands, registration answers)
 * as they were written.
 */
public final class SessionFrames {

    private final URI source;

    /** @param replica this replica's name, in the {@code source} of its own frames */
    public SessionFrames(String replica) {
        this.source = URI.create("/autoglm/triggers/device-gateway/" + Objects.requireNonNull(replica, "replica"));
    }

    public URI source() {
        return source;
    }

    /** An event as one text frame (UTF-8): the JSON event format, its JSON data copied as it is. */
    public static byte[] frame(CloudEvent event) {
        return StructuredJson.write(event);
    }

    public byte[] error(Caller caller, GatewayError error) {
        return own(EventType.GATEWAY_ERROR, caller, error);
    }

    public byte[] credential(Caller caller, DeviceCredential credential) {
        return frame(Events.newEvent(EventType.DEVICE_CREDENTIAL_ISSUED, source, caller.tenant(), credential.deviceId(), credential).build());
    }

    public byte[] draining(Caller caller, GatewayDraining draining) {
        return own(EventType.GATEWAY_DRAINING, caller, draining);
    }

    private byte[] own(EventType type, Caller caller, Object payload) {
        String device = caller instanceof Caller.Device d ? d.deviceId() : null;
        return frame(Events.newEvent(type, source, caller.tenant(), device, payload).build());
    }
}
