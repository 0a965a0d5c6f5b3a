package io.autoglm.fleet.inference.engine;

import java.util.Locale;

/**
 * Where ONNX Runtime runs a model: TensorRT (fastest on NVIDIA GPUs, needs an engine build), CUDA,
 * or the CPU. The wire name is what {@code inference.completed} reports as {@code engine}.
 */
public enum ExecutionProvider {
    TENSORRT,
    CUDA,
    CPU;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ExecutionProvider of(String wireName) {
        return valueOf(wireName.trim().toUpperCase(Locale.ROOT));
    }
}
