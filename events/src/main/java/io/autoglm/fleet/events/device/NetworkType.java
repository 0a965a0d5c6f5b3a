package io.autoglm.fleet.events.device;

/** The kind of link a device is on; mobile links are the jittery ones. */
public enum NetworkType {
    WIFI,
    CELLULAR_4G,
    CELLULAR_5G,
    ETHERNET,
    UNKNOWN
}
