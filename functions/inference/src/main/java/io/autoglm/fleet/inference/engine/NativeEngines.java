package io.autoglm.fleet.inference.engine;

import ai.djl.engine.Engine;
import ai.djl.huggingface.tokenizers.jni.LibUtils;

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

    private NativeEngines() {
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
