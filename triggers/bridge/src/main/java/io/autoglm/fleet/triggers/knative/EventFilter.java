package io.autoglm.fleet.triggers.knative;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Trigger's filter: the legacy {@code spec.filter.attributes} exact match and the expressions of
 * the {@code spec.filters} dialect (exact, prefix, suffix, all, any, not), evaluated the way Knative
 * Eventing evaluates them. An attribute the event lacks never matches (so {@code not} of it does).
 */
public sealed interface EventFilter {

    boolean test(EventAttributes event);

    /** No filter: every event passes. */
    record MatchAll() implements EventFilter {
        @Override
        public boolean test(EventAttributes event) {
            return true;
        }
    }

    /**
     * {@code spec.filter.attributes}: every listed attribute must be present and equal; the empty
     * string matches any value of a present attribute.
     */
    record Attributes(Map<String, String> attributes) implements EventFilter {
        public Attributes {
            attributes = Map.copyOf(attributes);
        }

        @Override
        public boolean test(EventAttributes event) {
            for (Map.Entry<String, String> expected : attributes.entrySet()) {
                String actual = event.get(expected.getKey());
                if (actual == null || (!expected.getValue().isEmpty() && !expected.getValue().equals(actual))) {
                    return false;
                }
            }
            return true;
        }
    }

    /** {@code exact: {attribute: value}}, case-sensitive. */
    record Exact(String attribute, String value) implements EventFilter {
        public Exact {
            Objects.requireNonNull(attribute, "attribute");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public boolean test(EventAttributes event) {
            return value.equals(event.get(attribute));
        }
    }

    /** {@code prefix: {attribute: value}}. */
    record Prefix(String attribute, String prefix) implements EventFilter {
        public Prefix {
            Objects.requireNonNull(attribute, "attribute");
            Objects.requireNonNull(prefix, "prefix");
        }

        @Override
        public boolean test(EventAttributes event) {
            String actual = event.get(attribute);
            return actual != null && actual.startsWith(prefix);
        }
    }

    /** {@code suffix: {attribute: value}}. */
    record Suffix(String attribute, String suffix) implements EventFilter {
        public Suffix {
            Objects.requireNonNull(attribute, "attribute");
            Objects.requireNonNull(suffix, "suffix");
        }

        @Override
        public boolean test(EventAttributes event) {
            String actual = event.get(attribute);
            return actual != null && actual.endsWith(suffix);
        }
    }

    /** {@code all: [...]}, and the top-level {@code filters} list: every expression must match. */
    record All(List<EventFilter> filters) implements EventFilter {
        public All {
            filters = List.copyOf(filters);
        }

        @Override
        public boolean test(EventAttributes event) {
            for (EventFilter filter : filters) {
                if (!filter.test(event)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** {@code any: [...]}: at least one expression must match. */
    record Any(List<EventFilter> filters) implements EventFilter {
        public Any {
            filters = List.copyOf(filters);
        }

        @Override
        public boolean test(EventAttributes event) {
            for (EventFilter filter : filters) {
                if (filter.test(event)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** {@code not: {...}}. */
    record Not(EventFilter filter) implements EventFilter {
        public Not {
            Objects.requireNonNull(filter, "filter");
        }

        @Override
        public boolean test(EventAttributes event) {
            return !filter.test(event);
        }
    }
}
