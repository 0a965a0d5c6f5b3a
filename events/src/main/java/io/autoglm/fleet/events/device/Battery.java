package io.autoglm.fleet.events.device;

/** Battery state of a mobile device; {@code level} is a fraction in [0, 1]. */
public record Battery(double level, boolean charging) {
}
