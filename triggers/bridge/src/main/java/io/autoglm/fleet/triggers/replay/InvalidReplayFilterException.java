package io.autoglm.fleet.triggers.replay;

import java.util.List;

/** A replay asked with filters that cannot be used: the caller's fault, answered 400 with every problem. */
public final class InvalidReplayFilterException extends IllegalArgumentException {

    private final List<String> problems;

    public InvalidReplayFilterException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
