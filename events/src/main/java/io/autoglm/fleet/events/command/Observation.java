package io.autoglm.fleet.events.command;

import io.autoglm.fleet.events.agent.ScreenshotRef;

/**
 * What a device saw: its screenshot and the app in front. On the device's socket the agent sends the
 * PNG itself ({@code png}, base64, with its size); the gateway stores it in the blob store and replaces
 * it by {@code screenshot}, a claim check, so what reaches Pulsar never carries the image. A secure
 * screen (banking, password entry) cannot be captured: {@code sensitive} is true and there is no image.
 */
public record Observation(ScreenshotRef screenshot, String png, Integer width, Integer height, String currentApp, boolean sensitive) {

    /** The observation as it travels past the gateway: the claim check, no image. */
    public static Observation stored(ScreenshotRef screenshot, String currentApp) {
        return new Observation(screenshot, null, screenshot.width(), screenshot.height(), currentApp, false);
    }

    /** A secure screen: nothing captured. */
    public static Observation sensitive(String currentApp) {
        return new Observation(null, null, null, null, currentApp, true);
    }

    /** Whether the image itself is still inline (only on a device's socket). */
    public boolean inline() {
        return png != null;
    }

    /** This observation with the inline image replaced by where it was stored. */
    public Observation withScreenshot(ScreenshotRef stored) {
        return new Observation(stored, null, stored.width(), stored.height(), currentApp, sensitive);
    }
}
