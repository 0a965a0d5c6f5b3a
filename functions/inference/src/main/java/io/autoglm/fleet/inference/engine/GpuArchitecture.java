package io.autoglm.fleet.inference.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The GPU architecture a TensorRT engine is built for ({@code sm90} for an H100, {@code sm89} for an
 * L4, ...). TensorRT engines only run on the architecture that built them, so the engine cache in the
 * model store is kept per architecture. Asked of {@code nvidia-smi}; empty where there is none.
 */
public final class GpuArchitecture {

    private static final Pattern COMPUTE_CAPABILITY = Pattern.compile("(\\d+)\\.(\\d+)");

    private GpuArchitecture() {
    }

    /** {@code sm<major><minor>} of GPU 0, or empty without an NVIDIA GPU and driver. */
    public static Optional<String> detect() {
        try {
            Process process = new ProcessBuilder("nvidia-smi", "--query-gpu=compute_cap", "--format=csv,noheader", "--id=0")
                    .redirectErrorStream(true).start();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return process.exitValue() == 0 ? fromComputeCapability(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** {@code "9.0"} -> {@code sm90}. */
    public static Optional<String> fromComputeCapability(String text) {
        Matcher m = COMPUTE_CAPABILITY.matcher(text.trim());
        return m.find() ? Optional.of("sm" + m.group(1) + m.group(2)) : Optional.empty();
    }
}
