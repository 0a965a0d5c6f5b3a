package io.autoglm.fleet.inference.serving;

import io.autoglm.fleet.events.Failures;
import io.autoglm.fleet.events.inference.InferenceCompleted;
import io.autoglm.fleet.events.inference.InferenceRequested;
import io.autoglm.fleet.inference.InferenceFailure;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Answers {@code inference.requested}: routes to the served version, bounds how long a caller waits
 * (a stuck engine gives a timeout, never a hung request), and marks the first answer for the
 * cold-start measurement. Results and failures come back as a future; failures are
 * {@link InferenceFailure}s.
 */
public final class InferenceService {

    private final ServedModels models;
    private final Duration requestTimeout;
    private final ColdStart coldStart;

    public InferenceService(ServedModels models, Duration requestTimeout, ColdStart coldStart) {
        this.models = Objects.requireNonNull(models, "models");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.coldStart = Objects.requireNonNull(coldStart, "coldStart");
    }

    public CompletableFuture<InferenceCompleted> infer(InferenceRequested request) {
        // an agent step's remote version keeps its own deadlines (first token, whole reply, attempts)
        CompletableFuture<InferenceCompleted> answer = models.infer(request);
        return (request.agent() == null ? answer.orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS) : answer)
                .handle((completed, error) -> {
                    if (error == null) {
                        coldStart.answered();
                        return completed;
                    }
                    Throwable cause = Failures.unwrap(error);
                    if (cause instanceof TimeoutException) {
                        throw InferenceFailure.timeout(request.model() + " did not answer within " + requestTimeout.toMillis() + " ms");
                    }
                    throw InferenceFailure.of(cause);
                });
    }

    public ServedModels models() {
        return models;
    }

    public ColdStart coldStart() {
        return coldStart;
    }
}
