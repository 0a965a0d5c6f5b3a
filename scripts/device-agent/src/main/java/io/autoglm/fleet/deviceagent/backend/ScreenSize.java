package io.autoglm.fleet.deviceagent.backend;

import io.autoglm.fleet.events.agent.RelativePoint;

/** A screen's size in pixels, as the device reports it; the agent's relative points are converted against it. */
public record ScreenSize(int width, int height) {

    public ScreenSize {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("a screen is at least 1x1 pixels, got " + width + "x" + height);
        }
    }

    /** The pixel a relative point names, {@code x * width / 1000} as Open-AutoGLM converts it. */
    public Pixel pixel(RelativePoint point) {
        return new Pixel(point.pixelX(width), point.pixelY(height));
    }

    /** A point on the screen in pixels. */
    public record Pixel(int x, int y) {
    }

    @Override
    public String toString() {
        return width + "x" + height;
    }
}
