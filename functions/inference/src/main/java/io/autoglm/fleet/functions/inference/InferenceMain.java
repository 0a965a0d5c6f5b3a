package io.autoglm.fleet.functions.inference;

import io.autoglm.fleet.inference.engine.NativeEngines;
import io.autoglm.fleet.events.validation.EventValidator;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

import java.io.File;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The function's entry point: while Quarkus boots on one core, begins loading the configured models
 * ({@link ModelHeadStart}) and warms up what the first request would otherwise wait for (ONNX
 * Runtime's and the tokenizer's native libraries, ONNX Runtime's from the copy the build unpacked
 * beside the application, the contract's schema validator) on the other, which takes a good part
 * off the cold start (process start to first answer); a function whose models are all served by remote
 * backends warms none of the native engines. Everything else is Quarkus as usual.
 */
@QuarkusMain
public final class InferenceMain {

    private static final Logger LOG = Logger.getLogger(InferenceMain.class.getName());

    private InferenceMain() {
    }

    public static void main(String... args) {
        // started as `java -jar <app>/quarkus-run.jar`: the jar is the class path
        String launcher = System.getProperty("java.class.path", "").split(File.pathSeparator)[0];
        if (launcher.endsWith(".jar")) {
            NativeEngines.useUnpackedLibraries(Path.of(launcher).toAbsolutePath().getParent());
        }
        ModelHeadStart.begin();
        Thread warmUp = new Thread(InferenceMain::warmUp, "warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
        Quarkus.run(args);
    }

    private static void warmUp() {
        if (ModelHeadStart.needsLocalEngines()) {
            NativeEngines.warmUp();
        }
        try {
            // the contract's validator compiles every event type's schema when first used: here, rather than on the
            // first request's path (the route filter that validates builds it lazily)
            EventValidator.standard();
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.FINE, "the validator's warm-up failed; the first request will say why", e);
        }
    }
}
