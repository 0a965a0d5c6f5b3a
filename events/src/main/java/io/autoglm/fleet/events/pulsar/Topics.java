package io.autoglm.fleet.events.pulsar;

import io.autoglm.fleet.events.EventFamily;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Events;
import io.cloudevents.CloudEvent;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Topic naming: one topic per tenant and event family, {@code persistent://<namespace>/fleet.<tenant>.<family>},
 * plus the compacted state topics read as TableViews. Events without a tenant (the shared model
 * store's) use the {@value #SYSTEM_TENANT} tenant.
 */
public final class Topics {

    public static final String DEFAULT_NAMESPACE = "public/default";
    public static final String SYSTEM_TENANT = "system";
    private static final String PREFIX = "fleet.";
    /** Any tenant: tenant ids are checked where events enter ({@code Extensions}); here only what the topic name needs. */
    private static final String TENANT_PATTERN = "[^.]+";
    private static final String DEAD_LETTERS = "dead-letters";
    private static final String REGISTRY = "registry";
    private static final String COMMAND_STATE = "command-state";
    private static final String TASK_STATE = "task-state";
    private static final String RESERVATIONS = "device-reservations";

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
        return topic(tenant, REGISTRY);
    }

    /** Compacted topic of each device's current liveness, keyed by device id, written on transitions. */
    public String liveness(String tenant) {
        return topic(tenant, "liveness-state");
    }

    /** Compacted topic of which gateway replica holds each device's socket ({@code DevicePresence}), keyed by device id; a tombstone once it left. */
    public String presence(String tenant) {
        return topic(tenant, "presence-state");
    }

    /** Compacted topic of every command's one current state ({@code CommandRecord}), keyed by command id, written by the commands function. */
    public String commandState(String tenant) {
        return topic(tenant, COMMAND_STATE);
    }

    /** Compacted topic of every task's one current state ({@code TaskRecord}), keyed by task id, written by the agent function. */
    public String taskState(String tenant) {
        return topic(tenant, TASK_STATE);
    }

    /** Compacted topic of the devices agent tasks hold ({@code DeviceReservation}), keyed by device id; a tombstone once released. */
    public String reservations(String tenant) {
        return topic(tenant, RESERVATIONS);
    }

    /** Events a trigger could not deliver, with the reason and attempt count (the tenant's DLQ), keyed by device id. */
    public String deadLetters(String tenant) {
        return topic(tenant, DEAD_LETTERS);
    }

    /** A pattern matching {@code family}'s topic of every tenant, for pattern subscriptions. */
    public Pattern allTenants(EventFamily family) {
        return allTenants(List.of(family));
    }

    /**
     * A pattern matching the topics of every tenant for any of {@code families}, for one pattern
     * subscription. Written as Pulsar wants it: the {@code persistent://tenant/namespace/} prefix in
     * plain text (Pulsar reads the namespace from it), only the topic's local name as a regular
     * expression, and short: brokers watch for new topics only for patterns up to
     * {@code subscriptionPatternMaxLength} (50 by default) and fall back to polling for longer ones.
     */
    public Pattern allTenants(Collection<EventFamily> families) {
        if (families.isEmpty()) {
            throw new IllegalArgumentException("a topic pattern needs at least one event family");
        }
        return namesOfAllTenants(families.stream().map(EventFamily::topicName).collect(Collectors.toCollection(TreeSet::new)));
    }

    /** A pattern matching the registry topic of every tenant: which tenants have devices. */
    public Pattern registriesOfAllTenants() {
        return namesOfAllTenants(List.of(REGISTRY));
    }

    /** The tenant whose registry {@code topic} is, if it is one. */
    public Optional<String> tenantOfRegistry(String topic) {
        String prefix = "persistent://" + namespace + "/" + PREFIX;
        String suffix = "." + REGISTRY;
        if (!topic.startsWith(prefix) || !topic.endsWith(suffix) || topic.length() <= prefix.length() + suffix.length()) {
            return Optional.empty();
        }
        String tenant = topic.substring(prefix.length(), topic.length() - suffix.length());
        return tenant.contains(".") ? Optional.empty() : Optional.of(tenant);
    }

    /** A pattern matching the command state table of every tenant. */
    public Pattern commandStatesOfAllTenants() {
        return namesOfAllTenants(List.of(COMMAND_STATE));
    }

    /** A pattern matching the task state table of every tenant. */
    public Pattern taskStatesOfAllTenants() {
        return namesOfAllTenants(List.of(TASK_STATE));
    }

    /** A pattern matching the dead-letter topic of every tenant. */
    public Pattern deadLettersOfAllTenants() {
        return namesOfAllTenants(List.of(DEAD_LETTERS));
    }

    /** Whether {@code topic} is a tenant's dead-letter topic. */
    public boolean isDeadLetters(String topic) {
        return topic.startsWith("persistent://" + namespace + "/" + PREFIX) && topic.endsWith("." + DEAD_LETTERS);
    }

    private Pattern namesOfAllTenants(Collection<String> names) {
        String alternatives = names.stream().map(Topics::literal).collect(Collectors.joining("|"));
        return Pattern.compile("persistent://" + namespace + "/" + literal(PREFIX) + TENANT_PATTERN
                + "\\." + (names.size() == 1 ? alternatives : "(" + alternatives + ")"));
    }

    /** {@code text} as a regular expression matching itself, without {@code \Q...\E} (which Pulsar cannot parse). */
    private static String literal(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 4);
        for (char c : text.toCharArray()) {
            if ("\\.[]{}()*+?^$|".indexOf(c) >= 0) {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }

    private String topic(String tenant, String name) {
        Objects.requireNonNull(tenant, "tenant");
        return "persistent://" + namespace + "/" + PREFIX + tenant + "." + name;
    }
}
