package io.autoglm.fleet.inference;

import io.autoglm.fleet.inference.engine.NativeEngines;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The function's entry point: starts loading ONNX Runtime's and the tokenizer's native libraries on a
 * second core while Quarkus boots on the first, which takes a good part off the cold start
 * (process start to first answer), and begins loading the configured models beside it
 * ({@link ModelHeadStart}). Everything else is Quarkus as usual.
 */
@QuarkusMain
public final class InferenceMain {

    private InferenceMain() {
    }

    public static void main(String... args) {
        NativeEngines.warmUpInBackground();
        ModelHeadStart.begin();
        Quarkus.run(args);
    }
}
