package io.autoglm.fleet.simulator.phone;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a simulated phone shows now, machine-readable: the app in front (its name as the agent model
 * knows it, and its package), which of its screens, the title, and the widgets with their boxes and
 * labels. The screenshot is drawn from it and carries it (a PNG tEXt chunk), so a simulated model
 * reads the screen from the image alone, as a real one reads pixels.
 *
 * @param screen    the screen's kind within the app ({@code wifi}, {@code conversation}, {@code results})
 * @param loading   the page is still loading: nothing on it can be used yet
 * @param moreAbove the list goes on above what shows (a swipe down brings it back)
 * @param moreBelow the list goes on below what shows (a swipe up shows it)
 */
public record Screen(String app, String packageName, String screen, String title, boolean loading, boolean moreAbove, boolean moreBelow,
        List<Widget> widgets) {

    public Screen {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(packageName, "packageName");
        Objects.requireNonNull(screen, "screen");
        Objects.requireNonNull(title, "title");
        widgets = widgets == null ? List.of() : List.copyOf(widgets);
    }

    /** The widget with that id, if it is on the screen now. */
    public Optional<Widget> widget(String id) {
        return widgets.stream().filter(widget -> widget.id().equals(id)).findFirst();
    }

    /** The field that has the keyboard, if one has. */
    public Optional<Widget> focused() {
        return widgets.stream().filter(widget -> Boolean.TRUE.equals(widget.focused())).findFirst();
    }

    /** Whether this is {@code screen} of {@code app}. */
    public boolean is(String app, String screen) {
        return this.app.equals(app) && this.screen.equals(screen);
    }
}
