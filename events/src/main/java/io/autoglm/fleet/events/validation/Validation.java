package io.autoglm.fleet.events.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.autoglm.fleet.events.EventJson;
import io.autoglm.fleet.events.EventType;
import io.autoglm.fleet.events.Problem;
import io.cloudevents.CloudEvent;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of checking one incoming event: the event (with its catalogue entry and parsed data)
 * when it is valid, or every problem found.
 */
public final class Validation {

    private final CloudEvent event;
    private final EventType type;
    private final JsonNode data;
    private final List<Problem> problems;

    private Validation(CloudEvent event, EventType type, JsonNode data, List<Problem> problems) {
        this.event = event;
        this.type = type;
        this.data = data;
        this.problems = problems;
    }

    static Validation valid(CloudEvent event, EventType type, JsonNode data) {
        return new Validation(Objects.requireNonNull(event), Objects.requireNonNull(type), data, List.of());
    }

    /** A failed check with the given problems (at least one). */
    public static Validation invalid(List<Problem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an invalid event needs a problem");
        }
        return new Validation(null, null, null, List.copyOf(problems));
    }

    public boolean isValid() {
        return problems.isEmpty();
    }

    /** Every problem found, in the order the checks ran; empty when valid. */
    public List<Problem> problems() {
        return problems;
    }

    /** The valid event; {@link InvalidEventException} when it was not. */
    public CloudEvent event() {
        requireValid();
        return event;
    }

    public EventType type() {
        requireValid();
        return type;
    }

    /** The data as its payload record, mapped from the already-parsed JSON. */
    public <T> T payload(Class<T> payloadType) {
        requireValid();
        return EventJson.read(data, payloadType);
    }

    /** All problems in one line, for logs and problem-detail titles. */
    public String summary() {
        return isValid() ? "valid" : InvalidEventException.summary(problems);
    }

    private void requireValid() {
        if (!isValid()) {
            throw new InvalidEventException(problems);
        }
    }

    @Override
    public String toString() {
        return isValid() ? "Validation[valid " + event.getType() + " " + event.getId() + "]" : "Validation[" + summary() + "]";
    }
}
