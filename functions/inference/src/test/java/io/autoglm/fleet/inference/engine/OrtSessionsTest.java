package io.autoglm.fleet.inference.engine;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OrtException;
import io.autoglm.fleet.modelstore.testing.TinyOnnx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The real ONNX Runtime CPU build, as on every machine without a GPU: asking for TensorRT or CUDA
 * fails right away with a clear error, and selection lands on the CPU with a working session.
 */
class OrtSessionsTest {

    @TempDir
    Path dir;

    private final OrtSessions.Tuning tuning = new OrtSessions.Tuning(1, false, false);

    @Test
    void theGpuProvidersFailCleanlyOnTheCpuBuild() {
        Path onnx = TinyOnnx.write(dir.resolve("model.onnx"), TinyOnnx.linear("x", "y", TinyOnnx.identity(2)));
        assertThatThrownBy(() -> OrtSessions.load("m@1", onnx, ExecutionProvider.TENSORRT, tuning, () -> dir.resolve("trt")))
                .isInstanceOf(OrtException.class).hasMessageContaining("TensorRT");
        assertThatThrownBy(() -> OrtSessions.load("m@1", onnx, ExecutionProvider.CUDA, tuning, () -> dir))
                .isInstanceOf(OrtException.class).hasMessageContaining("CUDA");
    }

    @Test
    void selectionFallsBackToACpuSessionThatRuns() {
        Path onnx = TinyOnnx.write(dir.resolve("model.onnx"), TinyOnnx.linear("x", "y", new float[][]{{2, 0}, {0, 3}}));
        List<String> log = new ArrayList<>();
        EngineSelector.Selection<Model> selection = EngineSelector.select("m@1", List.of(ExecutionProvider.values()),
                provider -> OrtSessions.load("m@1", onnx, provider, tuning, () -> dir.resolve("trt")), log::add);

        try (Model model = selection.loaded(); NDManager manager = model.getNDManager().newSubManager()) {
            assertThat(selection.provider()).isEqualTo(ExecutionProvider.CPU);
            assertThat(log).hasSize(2);
            assertThat(log.get(0)).startsWith("tensorrt unavailable for m@1 (OrtException").endsWith("; trying cuda");
            NDArray x = manager.create(new float[]{1, 1, 2, 2}, new Shape(2, 2));
            x.setName("x");
            NDList y = model.getBlock().forward(new ParameterStore(manager, false), new NDList(x), false);
            assertThat(y.get("y").toFloatArray()).containsExactly(2, 3, 4, 6);
        }
    }
}
