package io.autoglm.fleet.triggers.ingress;

import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.events.validation.Validation;
import io.cloudevents.CloudEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * What a request to the sink holds, decided all or nothing: every event valid (then all are
 * written, in one transaction when there are several), or the problems of every invalid one and
 * nothing written. In a batch each problem names its element, {@code [2].time}, so the caller can
 * fix them all in one go.
 */
public final class Submission {

    private final List<CloudEvent> events;
    private final List<Problem> problems;

    private Submission(List<CloudEvent> events, List<Problem> problems) {
        this.events = List.copyOf(events);
        this.problems = List.copyOf(problems);
    }

    /**
     * @param batch whether the request used the batch format (problems are then numbered even for one element)
     */
    public static Submission of(List<Validation> validations, boolean batch) {
        if (validations.isEmpty()) {
            return new Submission(List.of(), List.of(new Problem("", "the batch holds no event: send at least one")));
        }
        List<CloudEvent> events = new ArrayList<>(validations.size());
        List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < validations.size(); i++) {
            Validation validation = validations.get(i);
            if (validation.isValid()) {
                events.add(validation.event());
            } else if (!batch) {
                problems.addAll(validation.problems());
            } else {
                String element = "[" + i + "]";
                for (Problem problem : validation.problems()) {
                    problems.add(new Problem(problem.location().isEmpty() ? element : element + "." + problem.location(),
                            "event " + element + ": " + problem.message()));
                }
            }
        }
        return new Submission(problems.isEmpty() ? events : List.of(), problems);
    }

    public boolean valid() {
        return problems.isEmpty();
    }

    /** The events to write; empty when the submission is invalid. */
    public List<CloudEvent> events() {
        return events;
    }

    /** Every problem of every event; empty when valid. */
    public List<Problem> problems() {
        return problems;
    }
}
