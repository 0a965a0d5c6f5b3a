package io.autoglm.fleet.inference.engine;

import ai.djl.engine.Engine;
import ai.djl.huggingface.tokenizers.jni.LibUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Loads the native parts the first model load needs (DJL's ONNX Runtime engine with its native
 * library, the Hugging Face tokenizers library) ahead of time, on a background thread of the entry
 * point, so that a cold start overlaps them with the server's own start-up. Idempotent; failures are left for the
 * model load to report.
 */
public final class NativeEngines {

    private static final Logger LOG = Logger.getLogger(NativeEngines.class.getName());
    /** Where ONNX Runtime's Java binding looks for its native libraries before extracting them from its jar. */
    static final String ORT_NATIVE_PATH = "onnxruntime.native.path";

    private NativeEngines() {
    }

    /**
     * Points ONNX Runtime at the copy of its native library the build unpacked beside the application
     * ({@code <app>/native/linux-x64/}), where there is one and nothing else was configured: without it,
     * every start inflates the library's 20 MB from its jar into a temporary directory.
     *
     * @param appDirectory the folder of {@code quarkus-run.jar}
     */
    public static void useUnpackedLibraries(Path appDirectory) {
        String platform = switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64" -> "linux-x64";
            case "aarch64" -> "linux-aarch64";
            default -> null;
        };
        if (platform == null || !System.getProperty("os.name", "").startsWith("Linux") || System.getProperty(ORT_NATIVE_PATH) != null) {
            return;
        }
        Path unpacked = appDirectory.resolve("native").resolve(platform);
        if (Files.isRegularFile(unpacked.resolve("libonnxruntime.so")) && Files.isRegularFile(unpacked.resolve("libonnxruntime4j_jni.so"))) {
            System.setProperty(ORT_NATIVE_PATH, unpacked.toString());
        }
    }

    /** Loads them on the calling thread. */
    public static void warmUp() {
        // the same offline settings the loader applies, before DJL reads them
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        try {
            Engine.getEngine("OnnxRuntime");
            LibUtils.checkStatus();
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.FINE, "native warm-up failed; the model load will say why", e);
        }
    }
}
