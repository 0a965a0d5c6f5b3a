package io.autoglm.fleet.events.inference;

import io.autoglm.fleet.events.command.Requirements;
import io.autoglm.fleet.events.command.RoutingStrategy;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Payload of {@code io.autoglm.inference.requested}.
 *
 * @param model        {@code name}, {@code name@version} or {@code name@alias} (default alias: stable)
 * @param texts        inputs for text models (e.g. sentences to embed)
 * @param tensors      inputs for generic models, by input name
 * @param agent        a phone agent's step, for a vision-language model; exactly one of texts / tensors / agent
 * @param strategy     placement strategy for the router; null lets the router use its default
 * @param requirements what a device or edge box must offer to run it there
 */
public record InferenceRequested(
        String requestId,
        String model,
        List<String> texts,
        Map<String, Tensor> tensors,
        RoutingStrategy strategy,
        Requirements requirements,
        AgentStep agent) {

    public InferenceRequested {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(model, "model");
        texts = texts == null ? List.of() : List.copyOf(texts);
        tensors = tensors == null ? Map.of() : Map.copyOf(tensors);
        requirements = requirements == null ? Requirements.ANY : requirements;
    }

    /** A request for a text or tensor model. */
    public InferenceRequested(String requestId, String model, List<String> texts, Map<String, Tensor> tensors, RoutingStrategy strategy,
            Requirements requirements) {
        this(requestId, model, texts, tensors, strategy, requirements, null);
    }
}
