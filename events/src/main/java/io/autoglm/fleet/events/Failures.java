package io.autoglm.fleet.events;

import java.util.concurrent.CompletionException;

/** What failed, behind the wrappers a {@code CompletableFuture} puts around it. */
public final class Failures {

    private Failures() {
    }

    /** The failure a {@link CompletionException} carries, or {@code failure} itself. */
    public static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** The innermost cause of {@code failure}. */
    public static Throwable root(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
