package io.autoglm.fleet.events.device;

/** Liveness of a device: heartbeats on time, late enough to doubt, or gone. */
public enum LivenessStatus {
    ONLINE,
    SUSPECT,
    OFFLINE
}
