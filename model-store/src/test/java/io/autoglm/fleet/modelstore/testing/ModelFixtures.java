package io.autoglm.fleet.modelstore.testing;

import io.autoglm.fleet.modelstore.Batching;
import io.autoglm.fleet.modelstore.EngineHints;
import io.autoglm.fleet.modelstore.ModelDraft;
import io.autoglm.fleet.modelstore.ModelImport;
import io.autoglm.fleet.modelstore.ModelManifest;
import io.autoglm.fleet.modelstore.ModelStore;
import io.autoglm.fleet.modelstore.Precision;
import io.autoglm.fleet.modelstore.PublishedVersion;
import io.autoglm.fleet.modelstore.ProgressListener;
import io.autoglm.fleet.modelstore.SeedModel;
import io.autoglm.fleet.modelstore.TensorSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Test models for stores: drafts of tiny ONNX models written in code, and the seed model imported
 * from the jar Maven put on the test class path.
 */
public final class ModelFixtures {

    private ModelFixtures() {
    }

    /**
     * A draft of {@code y = x · W} with {@code x: float32 [batch, n]}, where {@code W} is {@code scale}
     * times the identity: each version of a test model can answer differently (scale 1, 2, ...).
     */
    public static ModelDraft linearDraft(String name, Path workDir, int n, float scale, Batching batching) {
        float[][] weights = TinyOnnx.identity(n);
        for (int i = 0; i < n; i++) {
            weights[i][i] = scale;
        }
        Path onnx = TinyOnnx.write(workDir.resolve(name + "-" + scale + "-" + System.nanoTime()).resolve("model.onnx"),
                TinyOnnx.linear("x", "y", weights));
        ModelManifest manifest = new ModelManifest(name, 0, ModelManifest.FORMAT_ONNX, "model.onnx", Precision.FP32,
                List.of(new TensorSpec("x", "float32", List.of(-1L, (long) n))),
                List.of(new TensorSpec("y", "float32", List.of(-1L, (long) n))),
                null, batching, new EngineHints(List.of("cpu"), 1, false), null, null, "y = " + scale + " * x, for tests");
        return new ModelDraft(manifest, Map.of("model.onnx", onnx));
    }

    public static PublishedVersion publishLinear(ModelStore store, String name, Path workDir, float scale) {
        return store.publish(linearDraft(name, workDir, 4, scale, new Batching(8, 2, 64)), null, ProgressListener.NONE);
    }

    /** The seed jar on the test class path; fails the test when Maven did not put it there. */
    public static Path seedJar() {
        return SeedModel.jarOnClassPath().orElseThrow(() -> new IllegalStateException(
                "the seed model jar " + SeedModel.COORDINATES + " is not on the test class path"));
    }

    /** Imports the seed model under {@code name} with {@code batching}. */
    public static PublishedVersion publishSeed(ModelStore store, String name, Batching batching) {
        return ModelImport.run(store, SeedModel.spec(seedJar(), name, batching), null, ProgressListener.NONE);
    }
}
