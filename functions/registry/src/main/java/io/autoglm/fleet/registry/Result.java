package io.autoglm.fleet.registry;

import io.autoglm.fleet.events.Problem;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of a check: a value to go on with, or every problem that stops it. Rejections are the
 * caller's to fix and become {@code *.rejected} events, never exceptions.
 */
public final class Result<T> {

    private final T value;
    private final List<Problem> problems;

    private Result(T value, List<Problem> problems) {
        this.value = value;
        this.problems = List.copyOf(problems);
    }

    public static <T> Result<T> accepted(T value) {
        return new Result<>(Objects.requireNonNull(value, "value"), List.of());
    }

    public static <T> Result<T> rejected(List<Problem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a rejection needs at least one problem");
        }
        return new Result<>(null, problems);
    }

    public boolean isAccepted() {
        return value != null;
    }

    /** @throws IllegalStateException when rejected */
    public T value() {
        if (value == null) {
            throw new IllegalStateException("rejected: " + problems);
        }
        return value;
    }

    /** Every problem; empty when accepted. */
    public List<Problem> problems() {
        return problems;
    }
}
