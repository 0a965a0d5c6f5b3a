package io.autoglm.fleet.events.device;

/**
 * Utilisation reported with a heartbeat. {@code cpu}, {@code memory} and {@code gpu} are fractions
 * in [0, 1] ({@code gpu} null without a GPU); {@code queueDepth} counts commands waiting on the device.
 */
public record DeviceLoad(double cpu, double memory, Double gpu, int queueDepth) {
}
