package io.autoglm.fleet.triggers.knative;

import io.autoglm.fleet.events.EventFamily;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A Knative {@code eventing.knative.dev/v1} Trigger as the dispatcher runs it: which events
 * ({@link #filter}), to whom ({@link #subscriber}), how persistently ({@link #delivery}), and which
 * event families' topics it reads ({@link #families}; see {@link TriggerTopics}).
 */
public record Trigger(String namespace, String name, String broker, EventFilter filter, Destination subscriber,
        DeliverySpec delivery, Set<EventFamily> families) {

    public Trigger {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(broker, "broker");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(subscriber, "subscriber");
        Objects.requireNonNull(delivery, "delivery");
        if (families.isEmpty()) {
            throw new IllegalArgumentException("trigger " + namespace + "/" + name + " reads no event family");
        }
        families = Set.copyOf(EnumSet.copyOf(families));
    }

    /** {@code namespace/name}, how logs and problems name the Trigger. */
    public String id() {
        return namespace + "/" + name;
    }

    /**
     * The Pulsar subscription of this Trigger: one per Trigger, shared (Key_Shared) by every
     * dispatcher replica, so each Trigger sees each event once and replicas split the devices.
     */
    public String subscriptionName() {
        return "trigger." + namespace + "." + name;
    }
}
