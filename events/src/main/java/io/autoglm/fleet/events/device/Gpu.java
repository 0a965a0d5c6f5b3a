package io.autoglm.fleet.events.device;

import java.util.Objects;

/**
 * An accelerator on a device. {@code computeCapability} is "major.minor" (CUDA style, e.g. "8.6");
 * for non-NVIDIA parts it is the vendor's own generation string.
 */
public record Gpu(String name, int memoryMb, String computeCapability) {
    public Gpu {
        Objects.requireNonNull(name, "name");
    }
}
