package io.autoglm.fleet.triggers.replay;

import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Extensions;
import io.autoglm.fleet.triggers.dispatch.DeadLetters;
import io.cloudevents.CloudEvent;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which of a tenant's dead letters a replay puts back: those of one Trigger ({@code namespace/name}, or
 * its name alone), of one event type, dead-lettered within a time range ({@code since} inclusive,
 * {@code until} exclusive: when the dead letter was written). Absent filters match everything.
 */
public record ReplayFilter(String tenant, Optional<String> trigger, Optional<String> type, Optional<Instant> since,
        Optional<Instant> until) {

    /** The query parameters a replay takes. */
    public static final Set<String> PARAMETERS = Set.of("tenant", "trigger", "type", "since", "until");

    public ReplayFilter {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(until, "until");
    }

    /** Every tenant's dead letter. */
    public static ReplayFilter all(String tenant) {
        return new ReplayFilter(tenant, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * Reads the filter from query parameters, each problem named (a missing tenant, an unknown type, a
     * time that is not ISO-8601, a range that ends before it starts, a parameter that is not one of {@link #PARAMETERS}).
     */
    public static ReplayFilter parse(Map<String, List<String>> parameters) {
        List<String> problems = new ArrayList<>();
        parameters.forEach((name, values) -> {
            if (!PARAMETERS.contains(name)) {
                problems.add("unknown parameter '" + name + "'; a replay takes " + String.join(", ", PARAMETERS.stream().sorted().toList()));
            } else if (values.size() > 1) {
                problems.add("'" + name + "' is given " + values.size() + " times; give it once");
            }
        });
        Optional<String> tenant = single(parameters, "tenant");
        if (tenant.isEmpty()) {
            problems.add("'tenant' is required: whose dead letters to replay");
        } else {
            Extensions.checkValue(Extensions.TENANT, tenant.get()).ifPresent(problems::add);
        }
        Optional<String> trigger = single(parameters, "trigger");
        Optional<String> type = single(parameters, "type");
        type.filter(name -> EventType.fromType(name).isEmpty())
                .ifPresent(name -> problems.add("'type' " + name + " is not an event type of the contract (e.g. io.autoglm.device.heartbeat)"));
        Optional<Instant> since = time(parameters, "since", problems);
        Optional<Instant> until = time(parameters, "until", problems);
        if (since.isPresent() && until.isPresent() && !since.get().isBefore(until.get())) {
            problems.add("'since' (" + since.get() + ") must be before 'until' (" + until.get() + ")");
        }
        if (!problems.isEmpty()) {
            throw new InvalidReplayFilterException(problems);
        }
        return new ReplayFilter(tenant.get(), trigger, type, since, until);
    }

    /** Whether the dead letter, written at {@code deadLettered}, is one to replay. */
    public boolean matches(CloudEvent letter, Instant deadLettered) {
        return trigger.map(wanted -> isTrigger(DeadLetters.triggerOf(letter), wanted)).orElse(true)
                && type.map(letter.getType()::equals).orElse(true)
                && since.map(from -> !deadLettered.isBefore(from)).orElse(true)
                && until.map(deadLettered::isBefore).orElse(true);
    }

    private static boolean isTrigger(String id, String wanted) {
        return id != null && (id.equals(wanted) || id.endsWith("/" + wanted));
    }

    private static Optional<String> single(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.getOrDefault(name, List.of());
        return values.isEmpty() || values.get(0).isBlank() ? Optional.empty() : Optional.of(values.get(0).trim());
    }

    private static Optional<Instant> time(Map<String, List<String>> parameters, String name, List<String> problems) {
        Optional<String> text = single(parameters, name);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text.get()).toInstant());
        } catch (DateTimeParseException e) {
            problems.add("'" + name + "' must be an ISO-8601 time with its offset (e.g. 2026-12-03T10:00:00Z), got '" + text.get() + "'");
            return Optional.empty();
        }
    }
}
