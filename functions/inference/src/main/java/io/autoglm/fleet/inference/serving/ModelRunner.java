package io.autoglm.fleet.inference.serving;

import io.autoglm.fleet.events.inference.InferenceRequested;

import java.util.List;

/**
 * Runs one kind of model (text embeddings, generic tensors) for one loaded version: checks and
 * prepares a request's inputs on the caller's thread (so a bad request fails before it queues), and
 * runs a batch of prepared requests in one engine call on the batcher's thread.
 *
 * @param <P> a request's prepared inputs
 */
public interface ModelRunner<P> extends AutoCloseable {

    /**
     * The request's inputs, checked against the model; an {@code InferenceFailure} (bad request) naming
     * every problem otherwise.
     */
    P prepare(InferenceRequested request);

    /** Rows the prepared request adds to a batch (texts, or the first dimension of its tensors). */
    int rows(P prepared);

    /** Runs a batch; one output per input, in order. */
    List<ModelOutput> run(List<P> batch);

    /** A small request to run once before the version takes traffic (warm-up). */
    InferenceRequested warmupRequest();

    @Override
    void close();
}
