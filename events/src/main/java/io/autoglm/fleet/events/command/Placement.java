package io.autoglm.fleet.events.command;

import java.util.Locale;

/** Where a command or inference request ended up: on a device, on an edge box, or in the cloud tier. */
public enum Placement {
    DEVICE,
    EDGE,
    CLOUD;

    /** The value of the {@code placement} extension for this placement ({@code device}, {@code edge}, {@code cloud}). */
    public String attributeValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
