package io.autoglm.fleet.inference.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Where ONNX Runtime is told to load its native library from; the property is restored after each case. */
@EnabledOnOs(OS.LINUX)
class NativeEnginesTest {

    @Test
    void theCopyUnpackedBesideTheAppIsUsedWhenComplete(@TempDir Path app) throws Exception {
        Path platform = app.resolve("native").resolve(System.getProperty("os.arch").equals("aarch64") ? "linux-aarch64" : "linux-x64");
        Files.createDirectories(platform);
        Files.writeString(platform.resolve("libonnxruntime.so"), "");

        assertThat(withProperty(null, () -> NativeEngines.useUnpackedLibraries(app))).as("the JNI half is missing").isNull();

        Files.writeString(platform.resolve("libonnxruntime4j_jni.so"), "");
        assertThat(withProperty(null, () -> NativeEngines.useUnpackedLibraries(app))).isEqualTo(platform.toString());
        assertThat(withProperty("/opt/ort", () -> NativeEngines.useUnpackedLibraries(app))).as("what was configured stays").isEqualTo("/opt/ort");
    }

    @Test
    void withoutAnUnpackedCopyOnnxRuntimeExtractsAsBefore(@TempDir Path app) {
        assertThat(withProperty(null, () -> NativeEngines.useUnpackedLibraries(app))).isNull();
    }

    /** Runs {@code action} with the property set to {@code value} (null: unset), returns the property after it, restores it. */
    private static String withProperty(String value, Runnable action) {
        String before = System.getProperty(NativeEngines.ORT_NATIVE_PATH);
        try {
            if (value == null) {
                System.clearProperty(NativeEngines.ORT_NATIVE_PATH);
            } else {
                System.setProperty(NativeEngines.ORT_NATIVE_PATH, value);
            }
            action.run();
            return System.getProperty(NativeEngines.ORT_NATIVE_PATH);
        } finally {
            if (before == null) {
                System.clearProperty(NativeEngines.ORT_NATIVE_PATH);
            } else {
                System.setProperty(NativeEngines.ORT_NATIVE_PATH, before);
            }
        }
    }
}
