package io.autoglm.fleet.events.pulsar;

import io.autoglm.fleet.events.EventFamily;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.cloudevents.CloudEvent;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Topic naming: one topic per tenant and event family, {@code persistent://<namespace>/fleet.<tenant>.<family>},
 * plus the compacted state topics read as TableViews. Events without a tenant (the shared model
 * store's) use the {@value #SYSTEM_TENANT} tenant.
 */
public final class Topics {

    public static final String DEFAULT_NAMESPACE = "public/default";
    public static final String SYSTEM_TENANT = "system";
    private static final String PREFIX = "fleet.";

    private final String namespace;

    public Topics(String namespace) {
        this.namespace = Objects.requireNonNull(namespace, "namespace");
    }

    public static Topics defaults() {
        return new Topics(DEFAULT_NAMESPACE);
    }

    public String namespace() {
        return namespace;
    }

    public String events(String tenant, EventFamily family) {
        return topic(tenant, family.topicName());
    }

    /** The topic an event belongs on, by its type's family and its tenant extension. */
    public String forEvent(CloudEvent event) {
        EventType type = Events.typeOf(event);
        String tenant = Events.tenant(event);
        return events(tenant == null ? SYSTEM_TENANT : tenant, type.family());
    }

    /** Compacted topic of {@code DeviceRecord}s keyed by device id; a tombstone marks a deregistered device. */
    public String registry(String tenant) {
        return topic(tenant, "registry");
    }

    /** Compacted topic of each device's current liveness, keyed by device id, written on transitions. */
    public String liveness(String tenant) {
        return topic(tenant, "liveness-state");
    }

    /** A pattern matching {@code family}'s topic of every tenant, for pattern subscriptions. */
    public Pattern allTenants(EventFamily family) {
        return Pattern.compile(Pattern.quote("persistent://" + namespace + "/" + PREFIX)
                + "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?" + Pattern.quote("." + family.topicName()));
    }

    private String topic(String tenant, String name) {
        Objects.requireNonNull(tenant, "tenant");
        return "persistent://" + namespace + "/" + PREFIX + tenant + "." + name;
    }
}
