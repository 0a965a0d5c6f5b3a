package io.autoglm.fleet.events.device;

/** Operating platforms an agent device can run on; routing requirements filter on it. */
public enum Platform {
    ANDROID,
    HARMONYOS,
    IOS,
    LINUX,
    WASM
}
