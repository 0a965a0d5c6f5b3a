package io.autoglm.fleet.inference.serving;

import ai.djl.Model;
import io.autoglm.fleet.events.Problem;
import io.autoglm.fleet.events.inference.FailureReason;
import io.autoglm.fleet.events.inference.InferenceRequested;
import io.autoglm.fleet.events.inference.Tensor;
import io.autoglm.fleet.inference.InferenceFailure;
import io.autoglm.fleet.inference.engine.ExecutionProvider;
import io.autoglm.fleet.inference.engine.OrtSessions;
import io.autoglm.fleet.modelstore.Batching;
import io.autoglm.fleet.modelstore.ModelManifest;
import io.autoglm.fleet.modelstore.Precision;
import io.autoglm.fleet.modelstore.TensorSpec;
import io.autoglm.fleet.modelstore.testing.TinyOnnx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A tensor model (int64 ids [?, 3] -> float32) on the real CPU build: checks and stacking. */
class TensorRunnerTest {

    @TempDir
    Path dir;
    private TensorRunner runner;

    @BeforeEach
    void load() throws Exception {
        Path onnx = TinyOnnx.write(dir.resolve("model.onnx"), TinyOnnx.castToFloat("ids", "values", 3));
        Model model = OrtSessions.load("ids@1", onnx, ExecutionProvider.CPU, new OrtSessions.Tuning(1, false, false), () -> dir);
        ModelManifest manifest = new ModelManifest("ids", 0, "onnx", "model.onnx", Precision.FP32,
                List.of(new TensorSpec("ids", "int64", List.of(-1L, 3L))), List.of(new TensorSpec("values", "float32", List.of(-1L, 3L))),
                null, new Batching(4, 1, 10), null, null, null, null);
        runner = new TensorRunner("ids@1", model, manifest);
    }

    @AfterEach
    void close() {
        runner.close();
    }

    @Test
    void requestsOfDifferentRowCountsShareOneCallAndGetTheirOwnRowsBack() {
        TensorRunner.Tensors one = runner.prepare(request(Map.of("ids", ids(1, 1, 2, 3))));
        TensorRunner.Tensors two = runner.prepare(request(Map.of("ids", ids(2, 4, 5, 6, 7, 8, 9))));

        List<ModelOutput> outputs = runner.run(List.of(one, two));

        assertThat(outputs.get(0).outputs().get("values").shape()).containsExactly(1L, 3L);
        assertThat(outputs.get(0).outputs().get("values").data()).containsExactly(1f, 2f, 3f);
        assertThat(outputs.get(1).outputs().get("values").shape()).containsExactly(2L, 3L);
        assertThat(outputs.get(1).outputs().get("values").data()).containsExactly(4f, 5f, 6f, 7f, 8f, 9f);
        assertThat(runner.rows(two)).isEqualTo(2);
    }

    @Test
    void everyProblemOfARequestIsNamed() {
        InferenceFailure failure = refused(Map.of("ids", new Tensor("int64", List.of(1L, 3L), List.of(1, 2.5, 3)),
                "extra", new Tensor("float32", List.of(1L), List.of(0))));
        assertThat(failure.reason()).isEqualTo(FailureReason.BAD_REQUEST);
        assertThat(failure.problems()).extracting(Problem::message).containsExactly(
                "data.tensors.extra is not an input of ids@1; its inputs are [ids]",
                "data.tensors.ids.data[1] is 2.5, not an int64");
    }

    @Test
    void missingInputsTooManyRowsAndAbsurdShapesAreRefused() {
        assertThat(refused(Map.of()).problems()).extracting(Problem::message).containsExactly("data.tensors lacks ids (int64 [?, 3])");
        assertThat(refused(Map.of("ids", ids(5, new long[15]))).problems()).extracting(Problem::message)
                .containsExactly("the tensors have 5 rows; ids@1 takes 1 to 4 per request");
        assertThat(refused(Map.of("ids", new Tensor("int64", List.of(1L << 40, 3L), List.of(1)))).problems()).extracting(Problem::message)
                .containsExactly("data.tensors.ids has shape [1099511627776, 3], over 268435456 elements");
        assertThat(refused(Map.of("ids", new Tensor("int64", List.of(0L, 3L), List.of()))).problems()).extracting(Problem::message)
                .containsExactly("data.tensors.ids has shape [0, 3]; every dimension must be at least 1");
    }

    private InferenceFailure refused(Map<String, Tensor> tensors) {
        return catchThrowableOfType(() -> runner.prepare(request(tensors)), InferenceFailure.class);
    }

    private static InferenceRequested request(Map<String, Tensor> tensors) {
        return new InferenceRequested("r", "ids", null, tensors, null, null);
    }

    private static Tensor ids(long rows, long... values) {
        return new Tensor("int64", List.of(rows, 3L), java.util.Arrays.stream(values).boxed().map(v -> (Number) v).toList());
    }
}
