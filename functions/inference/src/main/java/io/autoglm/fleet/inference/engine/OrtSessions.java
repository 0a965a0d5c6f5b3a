package io.autoglm.fleet.inference.engine;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtTensorRTProviderOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Loads an ONNX model through DJL's ONNX Runtime engine on one execution provider, with the session
 * options this tier wants: a fixed number of intra-op threads, full graph optimisation, and for
 * TensorRT an engine cache directory (built once per GPU architecture, reused on the next cold start)
 * with CUDA behind it for the nodes TensorRT does not take.
 */
public final class OrtSessions {

    /**
     * How sessions are tuned.
     *
     * @param intraOpThreads threads inside one operator
     * @param cpuArena       ONNX Runtime's CPU arena allocator: faster steady state, more resident memory
     * @param trtFp16        let TensorRT build FP16 kernels
     */
    public record Tuning(int intraOpThreads, boolean cpuArena, boolean trtFp16) {
    }

    private OrtSessions() {
    }

    /**
     * Loads {@code modelFile} on {@code provider}. {@code engineCache} is asked for only when TensorRT
     * is tried (finding the GPU architecture may start {@code nvidia-smi}).
     */
    public static Model load(String name, Path modelFile, ExecutionProvider provider, Tuning tuning, Supplier<Path> engineCache)
            throws OrtException, IOException, MalformedModelException {
        Objects.requireNonNull(modelFile, "modelFile");
        OrtSession.SessionOptions options = sessionOptions(provider, tuning, engineCache);
        Model model = Model.newInstance(name, Device.cpu(), "OnnxRuntime");
        Map<String, Object> djlOptions = new HashMap<>();
        djlOptions.put("sessionOptions", options);
        try {
            model.load(modelFile.getParent(), modelFile.getFileName().toString(), djlOptions);
            return model;
        } catch (RuntimeException | IOException | MalformedModelException e) {
            model.close();
            throw e;
        } finally {
            // the session has copied what it needs
            options.close();
        }
    }

    static OrtSession.SessionOptions sessionOptions(ExecutionProvider provider, Tuning tuning, Supplier<Path> engineCache) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setIntraOpNumThreads(tuning.intraOpThreads());
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setCPUArenaAllocator(tuning.cpuArena());
            switch (provider) {
                case TENSORRT -> {
                    try (OrtTensorRTProviderOptions trt = new OrtTensorRTProviderOptions(0)) {
                        trt.add("trt_engine_cache_enable", "1");
                        trt.add("trt_engine_cache_path", engineCache.get().toString());
                        trt.add("trt_timing_cache_enable", "1");
                        trt.add("trt_fp16_enable", tuning.trtFp16() ? "1" : "0");
                        options.addTensorrt(trt);
                    }
                    options.addCUDA(0);
                }
                case CUDA -> options.addCUDA(0);
                case CPU -> {
                    // ONNX Runtime's default provider
                }
            }
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }
}
