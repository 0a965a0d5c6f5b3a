package io.autoglm.fleet.inference.serving;

import io.autoglm.fleet.events.inference.Tensor;

import java.util.List;
import java.util.Map;

/**
 * What a model answered for one request: one embedding per text for text models, named tensors for
 * the others.
 */
public record ModelOutput(List<float[]> embeddings, Map<String, Tensor> outputs) {

    public ModelOutput {
        embeddings = embeddings == null ? List.of() : List.copyOf(embeddings);
        outputs = outputs == null ? Map.of() : Map.copyOf(outputs);
    }

    public static ModelOutput embeddings(List<float[]> embeddings) {
        return new ModelOutput(embeddings, null);
    }

    public static ModelOutput tensors(Map<String, Tensor> outputs) {
        return new ModelOutput(null, outputs);
    }
}
