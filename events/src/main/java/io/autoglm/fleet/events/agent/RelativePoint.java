package io.autoglm.fleet.events.agent;

/**
 * A point on the screen as the agent's model names it: relative, 0-999 on both axes, whatever the
 * screen's size in pixels ({@code [0,0]} top left, {@code [999,999]} bottom right).
 */
public record RelativePoint(int x, int y) {

    /** The largest coordinate on either axis. */
    public static final int MAX = 999;

    public RelativePoint {
        if (x < 0 || x > MAX || y < 0 || y > MAX) {
            throw new IllegalArgumentException("[" + x + ", " + y + "] is off the screen: coordinates are relative, 0-" + MAX);
        }
    }

    /** The pixel column on a screen {@code width} pixels wide. */
    public int pixelX(int width) {
        return (int) ((long) x * width / (MAX + 1));
    }

    /** The pixel row on a screen {@code height} pixels high. */
    public int pixelY(int height) {
        return (int) ((long) y * height / (MAX + 1));
    }

    @Override
    public String toString() {
        return "[" + x + "," + y + "]";
    }
}
