package io.autoglm.fleet.deviceagent.backend;

import io.autoglm.fleet.events.device.Battery;

/**
 * How the device is doing right now, for a heartbeat: CPU load and memory in use as fractions in [0, 1],
 * and the battery (null when the device does not report one).
 */
public record DeviceVitals(double cpuLoad, double memoryUsed, Battery battery) {
}
