package io.autoglm.fleet.events.command;

/** One chosen device, or every device that matches the target selector. */
public enum Delivery {
    UNICAST,
    BROADCAST
}
