package io.autoglm.fleet.events.task;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The ids a task's session gives what it starts: each step ({@code task:<taskId>:<n>}), and within it the observation
 * command, the inference request, the action command, the wait, the question to a person, and each placement
 * ({@code task:<taskId>:<n>:<part>}). They are derived from the task's record, never drawn at random: a redelivered input
 * decided again from the same record starts the same command under the same id (the commands function and the device take
 * it once), and an answer names what it answers, so one for an older step is told apart. {@link #taskOf} reads the task
 * back from any of them, so a command's outcome finds its task.
 */
public final class TaskRefs {

    /** What a ref names within a step. */
    public enum Part {
        PLACE, OBSERVE, THINK, ACT, WAIT, CONFIRM, TAKEOVER;

        String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final String PREFIX = "task:";

    private TaskRefs() {
    }

    /** The id of the task's {@code sequence}th step (or placement). */
    public static String step(String taskId, long sequence) {
        Objects.requireNonNull(taskId, "taskId");
        if (sequence < 1) {
            throw new IllegalArgumentException("sequences start at 1, got " + sequence);
        }
        return PREFIX + taskId + ":" + sequence;
    }

    /** The id of {@code part} of step {@code stepId}: a command id, an inference request id, a timer's ref. */
    public static String of(String stepId, Part part) {
        return stepId + ":" + part.text();
    }

    /** The task a step id or ref belongs to, if it is one of these. */
    public static Optional<String> taskOf(String ref) {
        if (ref == null || !ref.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String rest = ref.substring(PREFIX.length());
        int last = rest.lastIndexOf(':');
        if (last <= 0) {
            return Optional.empty();
        }
        if (!digits(rest.substring(last + 1))) {
            String part = rest.substring(last + 1);
            boolean known = false;
            for (Part candidate : Part.values()) {
                known |= candidate.text().equals(part);
            }
            rest = rest.substring(0, last);
            last = rest.lastIndexOf(':');
            if (!known || last <= 0 || !digits(rest.substring(last + 1))) {
                return Optional.empty();
            }
        }
        return Optional.of(rest.substring(0, last));
    }

    private static boolean digits(String text) {
        return !text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
