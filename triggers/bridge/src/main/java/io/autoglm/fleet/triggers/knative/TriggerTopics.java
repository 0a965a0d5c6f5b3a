package io.autoglm.fleet.triggers.knative;

import io.autoglm.fleet.events.EventFamily;
import io.autoglm.fleet.events.EventType;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Which topics a Trigger reads. Knative Triggers do not name topics, so the dispatcher derives them
 * from the filter: the event types the filter can let through, looked up in the catalogue, give the
 * event families, and the Trigger reads those families' topics of every tenant (one pattern
 * subscription). A filter that does not constrain {@code type} (or a {@code not}) reads every family.
 * The annotation {@value #FAMILIES_ANNOTATION} (comma-separated family names, e.g.
 * {@code heartbeat, deadline}) overrides the derivation.
 */
public final class TriggerTopics {

    /** Names the event families a Trigger reads, overriding what its filter implies. */
    public static final String FAMILIES_ANNOTATION = "autoglm.io/event-families";

    private static final String TYPE = "type";

    private TriggerTopics() {
    }

    /**
     * The families whose events {@code filter} can let through: a superset, never missing one. Empty
     * when it lets no type of the catalogue through.
     */
    public static Set<EventFamily> familiesOf(EventFilter filter) {
        if (filter instanceof EventFilter.Attributes attributes) {
            String type = attributes.attributes().get(TYPE);
            return type == null || type.isEmpty() ? all() : familiesWhere(type::equals);
        } else if (filter instanceof EventFilter.Exact exact) {
            return exact.attribute().equals(TYPE) ? familiesWhere(exact.value()::equals) : all();
        } else if (filter instanceof EventFilter.Prefix prefix) {
            return prefix.attribute().equals(TYPE) ? familiesWhere(type -> type.startsWith(prefix.prefix())) : all();
        } else if (filter instanceof EventFilter.Suffix suffix) {
            return suffix.attribute().equals(TYPE) ? familiesWhere(type -> type.endsWith(suffix.suffix())) : all();
        } else if (filter instanceof EventFilter.All allOf) {
            Set<EventFamily> families = all();
            allOf.filters().forEach(nested -> families.retainAll(familiesOf(nested)));
            return families;
        } else if (filter instanceof EventFilter.Any anyOf) {
            Set<EventFamily> families = EnumSet.noneOf(EventFamily.class);
            anyOf.filters().forEach(nested -> families.addAll(familiesOf(nested)));
            return families;
        }
        return all(); // MatchAll, and Not: its complement is not worth narrowing
    }

    /** Reads {@value #FAMILIES_ANNOTATION}: family topic names ({@link EventFamily#topicName()}), comma-separated. */
    public static Set<EventFamily> parseFamilies(String annotation) {
        Set<EventFamily> families = EnumSet.noneOf(EventFamily.class);
        for (String name : annotation.split(",")) {
            String trimmed = name.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            families.add(Arrays.stream(EventFamily.values()).filter(family -> family.topicName().equals(trimmed)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown event family '" + trimmed + "', known: "
                            + Arrays.stream(EventFamily.values()).map(EventFamily::topicName).collect(Collectors.joining(", ")))));
        }
        if (families.isEmpty()) {
            throw new IllegalArgumentException("names no event family");
        }
        return families;
    }

    private static Set<EventFamily> familiesWhere(Predicate<String> type) {
        Set<EventFamily> families = EnumSet.noneOf(EventFamily.class);
        for (EventType eventType : EventType.values()) {
            if (type.test(eventType.type())) {
                families.add(eventType.family());
            }
        }
        return families;
    }

    private static Set<EventFamily> all() {
        return EnumSet.allOf(EventFamily.class);
    }
}
