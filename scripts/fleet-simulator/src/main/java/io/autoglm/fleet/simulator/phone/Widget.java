package io.autoglm.fleet.simulator.phone;

import java.util.Objects;

/**
 * One thing on a simulated screen as the screenshot shows it: what it is, its label, where it is, and
 * its state (a switch's position, a field's text and whether it has the keyboard). What a model reads
 * off the screen to choose where to tap; tapping inside its {@link Box} does what the widget does.
 *
 * @param id    stable within its screen ({@code wifi}, {@code send}, {@code contact-alice})
 * @param on    a switch's position; null for other kinds
 * @param value a field's text, or a row's second line; null when there is none
 */
public record Widget(String id, Kind kind, String label, Box box, Boolean on, String value, Boolean focused) {

    /** What a widget is, and so how it is drawn and what a tap on it can do. */
    public enum Kind {
        /** An app on the home screen: a tap opens it. */
        ICON,
        /** A list entry: a tap opens what it names. */
        ROW,
        BUTTON,
        /** An on/off switch with its label: a tap flips it. */
        SWITCH,
        /** A text field: a tap gives it the keyboard, Type fills it. */
        FIELD,
        /** Text only (a message, a price): a tap does nothing. */
        TEXT
    }

    public Widget {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(box, "box");
    }
}
