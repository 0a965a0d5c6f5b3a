package io.autoglm.fleet.events.device;

/**
 * Where a device sits in the placement hierarchy. Cost-first routing prefers {@link #DEVICE}
 * (the phone or runtime that asked), then {@link #EDGE} boxes, then the cloud inference tier,
 * which is not a registered device.
 */
public enum DeviceTier {
    DEVICE,
    EDGE
}
