package io.autoglm.fleet.simulator.phone;

import java.util.function.Consumer;

/** A widget placed on the screen with what it does: on a tap, on a long press, and (a field) with typed text; a null does nothing. */
record Control(Widget widget, Runnable tap, Runnable longPress, Consumer<String> typed) {
}
