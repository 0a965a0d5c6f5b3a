package io.autoglm.fleet.deviceagent.backend;

import java.util.Objects;

/** What {@code Observe} sees: the screenshot and the app in the foreground (an app name, or "System Home"). */
public record Screen(Screenshot screenshot, String currentApp) {
    public Screen {
        Objects.requireNonNull(screenshot, "screenshot");
        Objects.requireNonNull(currentApp, "currentApp");
    }
}
