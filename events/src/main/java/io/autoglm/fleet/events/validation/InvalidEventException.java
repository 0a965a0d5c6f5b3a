package io.autoglm.fleet.events.validation;

import io.autoglm.fleet.events.Problem;

import java.util.List;
import java.util.stream.Collectors;

/** An input event was the caller's fault: maps to a 4xx, a {@code *.rejected} event, or the DLQ. */
public class InvalidEventException extends RuntimeException {

    private final List<Problem> problems;

    public InvalidEventException(List<Problem> problems) {
        super(summary(problems));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    static String summary(List<Problem> problems) {
        return problems.stream().map(Problem::message).collect(Collectors.joining("; "));
    }
}
