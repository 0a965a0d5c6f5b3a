package io.autoglm.fleet.simulator.phone;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * How a simulated app puts its widgets on a screen: a column from below the title bar down (texts,
 * rows, switches, fields, buttons, a row of icons), which scrolls when it is longer than the screen,
 * and an optional bar docked at the bottom (a message field and its Send button) that does not.
 * Boxes are in relative coordinates; only what shows whole after scrolling is on the screen.
 */
final class ScreenLayout {

    /** Below the status bar and the title bar. */
    static final int TOP = 120;
    static final int BOTTOM = 985;
    static final int LEFT = 30;
    static final int RIGHT = 969;
    private static final int GAP = 10;
    private static final int DOCK_TOP = 880;

    /** A band of the column, {@code height} high, laying its controls out once it knows its top. */
    private record Band(int height, IntFunction<List<Control>> at) {
    }

    /** What shows after scrolling by {@code scroll}: the controls, whether the column goes on above or below, and the furthest scroll. */
    record Placed(List<Control> controls, boolean moreAbove, boolean moreBelow, int maxScroll) {
    }

    private final String focused;
    private final Consumer<String> focus;
    private final List<Band> column = new ArrayList<>();
    private final List<Control> docked = new ArrayList<>();

    /**
     * @param focused the field that has the keyboard (null: none)
     * @param focus   gives a field the keyboard (a tap on it)
     */
    ScreenLayout(String focused, Consumer<String> focus) {
        this.focused = focused;
        this.focus = focus;
    }

    ScreenLayout text(String id, String label) {
        return band(60, top -> List.of(control(Widget.Kind.TEXT, id, label, new Box(LEFT, top, RIGHT, top + 60), null, null, null, null, null)));
    }

    ScreenLayout row(String id, String label, String value, Runnable tap) {
        return row(id, label, value, tap, null);
    }

    ScreenLayout row(String id, String label, String value, Runnable tap, Runnable longPress) {
        return band(80, top -> List.of(control(Widget.Kind.ROW, id, label, new Box(LEFT, top, RIGHT, top + 80), null, value, null, tap, longPress)));
    }

    ScreenLayout toggle(String id, String label, boolean on, Runnable flip) {
        return band(80, top -> List.of(control(Widget.Kind.SWITCH, id, label, new Box(LEFT, top, RIGHT, top + 80), on, null, null, flip, null)));
    }

    ScreenLayout field(String id, String placeholder, String value, Consumer<String> typed) {
        return band(80, top -> List.of(field(id, placeholder, value, typed, new Box(LEFT, top, RIGHT, top + 80))));
    }

    ScreenLayout button(String id, String label, Runnable tap) {
        return band(90, top -> List.of(control(Widget.Kind.BUTTON, id, label, new Box(LEFT + 30, top, RIGHT - 30, top + 90), null, null, null, tap, null)));
    }

    /** A row of app icons, three across. */
    ScreenLayout icons(List<String> ids, List<String> labels, List<Runnable> taps) {
        return band(220, top -> {
            List<Control> icons = new ArrayList<>();
            int width = (RIGHT - LEFT) / 3;
            for (int i = 0; i < ids.size() && i < 3; i++) {
                int left = LEFT + i * width;
                icons.add(control(Widget.Kind.ICON, ids.get(i), labels.get(i), new Box(left + 20, top, left + width - 20, top + 220), null, null, null,
                        taps.get(i), null));
            }
            return icons;
        });
    }

    /** A field and its button docked at the bottom, as a chat's compose bar. */
    ScreenLayout compose(String fieldId, String placeholder, String value, Consumer<String> typed, String buttonId, String buttonLabel, Runnable send) {
        int split = LEFT + (RIGHT - LEFT) * 3 / 4;
        docked.add(field(fieldId, placeholder, value, typed, new Box(LEFT, DOCK_TOP, split - GAP, BOTTOM)));
        docked.add(control(Widget.Kind.BUTTON, buttonId, buttonLabel, new Box(split, DOCK_TOP, RIGHT, BOTTOM), null, null, null, send, null));
        return this;
    }

    /** The column scrolled by {@code scroll} (clamped), and the docked bar. */
    Placed place(int scroll) {
        int bottom = docked.isEmpty() ? BOTTOM : DOCK_TOP - GAP;
        int length = 0;
        for (Band band : column) {
            length += band.height() + GAP;
        }
        int visible = bottom - TOP;
        int maxScroll = Math.max(0, length - GAP - visible);
        int offset = Math.max(0, Math.min(scroll, maxScroll));
        List<Control> controls = new ArrayList<>();
        boolean above = false;
        boolean below = false;
        int y = TOP - offset;
        for (Band band : column) {
            if (y < TOP) {
                above = true;
            } else if (y + band.height() > bottom) {
                below = true;
            } else {
                controls.addAll(band.at().apply(y));
            }
            y += band.height() + GAP;
        }
        controls.addAll(docked);
        return new Placed(controls, above, below, maxScroll);
    }

    /** How far a swipe scrolls: the visible column less a row, so the last row seen stays in sight. */
    int page() {
        return (docked.isEmpty() ? BOTTOM : DOCK_TOP - GAP) - TOP - 90;
    }

    private ScreenLayout band(int height, IntFunction<List<Control>> at) {
        column.add(new Band(height, at));
        return this;
    }

    private Control field(String id, String placeholder, String value, Consumer<String> typed, Box box) {
        return control(Widget.Kind.FIELD, id, placeholder, box, null, value == null ? "" : value, id.equals(focused), () -> focus.accept(id), null,
                typed);
    }

    private static Control control(Widget.Kind kind, String id, String label, Box box, Boolean on, String value, Boolean focused, Runnable tap,
            Runnable longPress) {
        return control(kind, id, label, box, on, value, focused, tap, longPress, null);
    }

    private static Control control(Widget.Kind kind, String id, String label, Box box, Boolean on, String value, Boolean focused, Runnable tap,
            Runnable longPress, Consumer<String> typed) {
        return new Control(new Widget(id, kind, label, box, on, value, focused), tap, longPress, typed);
    }
}
