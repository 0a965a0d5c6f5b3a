package io.autoglm.fleet.events.inference;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Payload of {@code io.autoglm.inference.completed}. Text models answer {@code embeddings}
 * (one vector per input text, in order); generic models answer {@code outputs} by name; a vision-language
 * model answers an agent step with {@code agent}.
 *
 * @param engine    the execution provider that ran it: {@code tensorrt}, {@code cuda} or {@code cpu}, or {@code remote}
 *                  for a remote backend
 * @param batchSize how many requests' inputs ran together in the model call
 */
public record InferenceCompleted(
        String requestId,
        String model,
        int version,
        List<List<Float>> embeddings,
        Map<String, Tensor> outputs,
        String engine,
        int batchSize,
        double queueMs,
        double computeMs,
        AgentStepResult agent) {

    public InferenceCompleted {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(model, "model");
        embeddings = embeddings == null ? List.of() : List.copyOf(embeddings);
        outputs = outputs == null ? Map.of() : Map.copyOf(outputs);
    }

    /** The answer of a text or tensor model. */
    public InferenceCompleted(String requestId, String model, int version, List<List<Float>> embeddings, Map<String, Tensor> outputs,
            String engine, int batchSize, double queueMs, double computeMs) {
        this(requestId, model, version, embeddings, outputs, engine, batchSize, queueMs, computeMs, null);
    }
}
