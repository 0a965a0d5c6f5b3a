package io.autoglm.fleet.deviceagent.backend;

import java.util.Objects;

/**
 * What a screenshot gave: a PNG of the screen, or nothing because the screen is secure (a payment page,
 * a password field: the capture fails or comes back black), which the agent reports as {@code sensitive}.
 */
public sealed interface Screenshot {

    /** A PNG image of the screen and its size in pixels. */
    record Captured(byte[] png, int width, int height) implements Screenshot {
        public Captured {
            Objects.requireNonNull(png, "png");
        }

        /**
         * This screenshot, halved in size until its PNG takes at most {@code maxBytes} (a socket frame has a
         * limit; the agent's points are relative, so a smaller image names the same places).
         */
        public Captured fitWithin(int maxBytes) {
            Captured fitted = this;
            while (fitted.png.length > maxBytes && fitted.width > 1 && fitted.height > 1) {
                fitted = Images.halved(fitted);
            }
            return fitted;
        }
    }

    /** The device would not show its screen; {@code why} says how that showed. */
    record Secure(String why) implements Screenshot {
        public Secure {
            Objects.requireNonNull(why, "why");
        }
    }
}
