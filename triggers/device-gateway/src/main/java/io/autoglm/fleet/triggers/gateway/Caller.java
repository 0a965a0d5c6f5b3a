package io.autoglm.fleet.triggers.gateway;

import io.autoglm.fleet.events.EventType;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who is at the other end of a socket, as proven at the upgrade: a tenant's enrolment token, which may
 * only ask for a device to be registered, or one device of one tenant (by the credential the gateway
 * issued, or by a client certificate of the tenant's CA), which speaks for that device alone.
 */
public sealed interface Caller {

    /** What a registered device may send: its heartbeats and what it says about its commands. */
    Set<EventType> DEVICE_SENDS = EnumSet.of(EventType.DEVICE_HEARTBEAT, EventType.COMMAND_ACCEPTED, EventType.COMMAND_PROGRESS,
            EventType.COMMAND_COMPLETED, EventType.COMMAND_FAILED, EventType.COMMAND_DECLINED);

    String tenant();

    /** Whether this caller may send events of {@code type}. */
    boolean may(EventType type);

    /** What this caller may send, for a refusal. */
    String mayWhat();

    /** A new device of {@code tenant}, with the tenant's enrolment token. */
    record Enrolment(String tenant) implements Caller {
        public Enrolment {
            Objects.requireNonNull(tenant, "tenant");
        }

        @Override
        public boolean may(EventType type) {
            return type == EventType.DEVICE_REGISTRATION_REQUESTED;
        }

        @Override
        public String mayWhat() {
            return "an enrolment token may only send " + EventType.DEVICE_REGISTRATION_REQUESTED.type()
                    + "; reconnect with the device credential the gateway issues once the device is registered";
        }
    }

    /** Device {@code deviceId} of {@code tenant}. */
    record Device(String tenant, String deviceId, Proof proof) implements Caller {
        public Device {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(deviceId, "deviceId");
            Objects.requireNonNull(proof, "proof");
        }

        @Override
        public boolean may(EventType type) {
            return DEVICE_SENDS.contains(type);
        }

        @Override
        public String mayWhat() {
            return "a device sends only " + DEVICE_SENDS.stream().map(EventType::type).sorted().toList();
        }
    }

    /** How a device proved who it is. */
    enum Proof {
        /** The device credential this gateway (or another replica) signed. */
        CREDENTIAL,
        /** A client certificate issued by the tenant's CA. */
        CERTIFICATE
    }
}
