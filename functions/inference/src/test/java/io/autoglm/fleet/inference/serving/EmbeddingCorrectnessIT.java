package io.autoglm.fleet.inference.serving;

import io.autoglm.fleet.events.inference.InferenceCompleted;
import io.autoglm.fleet.events.inference.InferenceRequested;
import io.autoglm.fleet.events.inference.Tensor;
import io.autoglm.fleet.inference.engine.ExecutionProvider;
import io.autoglm.fleet.modelstore.Batching;
import io.autoglm.fleet.modelstore.FileSystemBackend;
import io.autoglm.fleet.modelstore.ModelStore;
import io.autoglm.fleet.modelstore.ProgressListener;
import io.autoglm.fleet.modelstore.SeedModel;
import io.autoglm.fleet.modelstore.testing.ModelFixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The real seed model through the loader and batcher (no HTTP): embeddings match the reference, and
 * batching does not change what a request gets back.
 */
class EmbeddingCorrectnessIT {

    private static final List<String> SENTENCES = List.of("A man is eating food.", "A man is eating a piece of bread.",
            "The new movie is awesome.", "A cheetah is running behind its prey.");

    @TempDir
    static Path dir;
    private static ModelStore store;
    private static ServingVersion seed;
    private static ServingVersion linear;

    @BeforeAll
    static void load() {
        store = ModelStore.of(new FileSystemBackend(dir.resolve("store")));
        ModelFixtures.publishSeed(store, SeedModel.NAME, new Batching(32, 50, 256));
        store.publish(ModelFixtures.linearDraft("linear", dir, 4, 0.5f, new Batching(32, 50, 256)), null, ProgressListener.NONE);
        ModelLoader loader = new ModelLoader(store, new ModelLoader.Settings(List.of(ExecutionProvider.CPU), 1, 1, false), InferenceObserver.NONE);
        seed = loader.load(SeedModel.NAME, 1);
        linear = loader.load("linear", 1);
    }

    @AfterAll
    static void close() {
        seed.close();
        linear.close();
        store.close();
    }

    @Test
    void cosineOfTheReferencePairMatchesPlainOnnxRuntime() throws Exception {
        float[] food = embed(List.of(SENTENCES.get(0))).get(0);
        float[] bread = embed(List.of(SENTENCES.get(1))).get(0);
        assertThat(dot(food, food)).isCloseTo(1.0, within(1e-5));
        assertThat(dot(food, bread)).isCloseTo(0.755, within(0.01));
        assertThat(dot(food, embed(List.of(SENTENCES.get(3))).get(0))).as("unrelated sentences").isLessThan(0.3);
    }

    @Test
    void identicalInputsGiveIdenticalOutputsWhetherBatchedOrNot() throws Exception {
        String text = SENTENCES.get(2);
        float[] alone = embed(List.of(text)).get(0);
        // one request of four copies, and four requests joining one batch
        List<float[]> inOneRequest = embed(List.of(text, text, text, text));
        List<CompletableFuture<InferenceCompleted>> separate = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            separate.add(seed.infer(texts(List.of(text))));
        }
        for (float[] v : inOneRequest) {
            assertThat(maxDifference(alone, v)).isLessThanOrEqualTo(1e-5);
        }
        for (CompletableFuture<InferenceCompleted> answer : separate) {
            InferenceCompleted completed = answer.get(30, TimeUnit.SECONDS);
            assertThat(maxDifference(alone, vector(completed.embeddings().get(0)))).isLessThanOrEqualTo(1e-5);
        }
        assertThat(separate.get(3).get().batchSize()).as("the four requests ran as one batch").isEqualTo(4);
    }

    @Test
    void anFp32ModelGivesEachRowTheSameAnswerInAnyBatch() throws Exception {
        List<CompletableFuture<InferenceCompleted>> answers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            long rows = i % 3 + 1;
            List<Number> data = new ArrayList<>();
            for (int k = 0; k < rows * 4; k++) {
                data.add(i * 10 + k + 0.25f);
            }
            answers.add(linear.infer(new InferenceRequested("r" + i, "linear", null, Map.of("x", new Tensor("float32", List.of(rows, 4L), data)), null, null)));
        }
        for (int i = 0; i < 6; i++) {
            Tensor y = answers.get(i).get(30, TimeUnit.SECONDS).outputs().get("y");
            long rows = i % 3 + 1;
            assertThat(y.shape()).containsExactly(rows, 4L);
            for (int k = 0; k < rows * 4; k++) {
                assertThat(y.data().get(k).doubleValue()).isCloseTo((i * 10 + k + 0.25) * 0.5, within(1e-5));
            }
        }
    }

    /**
     * The quantized seed model quantizes activations per call (DynamicQuantizeLinear: one scale per
     * tensor), so a text's vector moves slightly with its batch neighbours. Bounded here, documented in
     * the module README; an FP32 model has no such effect (test above).
     */
    @Test
    void differentNeighboursMoveAQuantizedEmbeddingOnlySlightly() throws Exception {
        float[] alone = embed(List.of(SENTENCES.get(0))).get(0);
        float[] withOthers = embed(SENTENCES).get(0);
        assertThat(dot(alone, withOthers)).isGreaterThan(0.99);
    }

    private static List<float[]> embed(List<String> texts) throws Exception {
        InferenceCompleted completed = seed.infer(texts(texts)).get(30, TimeUnit.SECONDS);
        return completed.embeddings().stream().map(EmbeddingCorrectnessIT::vector).toList();
    }

    private static InferenceRequested texts(List<String> texts) {
        return new InferenceRequested("r", SeedModel.NAME, texts, null, null, null);
    }

    private static float[] vector(List<Float> list) {
        float[] v = new float[list.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = list.get(i);
        }
        return v;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double maxDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
