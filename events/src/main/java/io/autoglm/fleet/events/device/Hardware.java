package io.autoglm.fleet.events.device;

/** What a device has to run agents and models with; {@code gpu} is null when it has none. */
public record Hardware(int cpuCores, int memoryMb, Gpu gpu) {

    public boolean hasGpu() {
        return gpu != null;
    }
}
