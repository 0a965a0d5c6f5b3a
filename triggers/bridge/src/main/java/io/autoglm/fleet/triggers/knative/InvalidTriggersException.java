package io.autoglm.fleet.triggers.knative;

import java.util.List;

/** Trigger objects that cannot be run as written; every problem is a sentence naming the Trigger and the field. */
public class InvalidTriggersException extends RuntimeException {

    private final List<String> problems;

    public InvalidTriggersException(List<String> problems) {
        super(problems.size() + (problems.size() == 1 ? " problem" : " problems") + " in the Trigger objects:\n  "
                + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
