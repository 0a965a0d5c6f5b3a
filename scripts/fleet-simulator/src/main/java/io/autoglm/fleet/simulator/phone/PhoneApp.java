package io.autoglm.fleet.simulator.phone;

import java.util.List;

/**
 * One simulated app: its name as the agent model knows it, its package, other names a model may launch
 * it by, its colour, its first screen, and how each of its screens is laid out from the app's state.
 * A screen is named {@code kind} or {@code kind/subject} ({@code conversation/Alice}).
 */
abstract class PhoneApp {

    private final String name;
    private final String packageName;
    private final List<String> aliases;
    private final int colour;

    PhoneApp(String name, String packageName, List<String> aliases, int colour) {
        this.name = name;
        this.packageName = packageName;
        this.aliases = List.copyOf(aliases);
        this.colour = colour;
    }

    final String name() {
        return name;
    }

    final String packageName() {
        return packageName;
    }

    /** Whether a Launch of {@code app} means this one: its name, an alias or its package, in any case. */
    final boolean answersTo(String app) {
        String wanted = app.strip();
        return wanted.equalsIgnoreCase(name) || wanted.equalsIgnoreCase(packageName) || aliases.stream().anyMatch(wanted::equalsIgnoreCase);
    }

    /** The title bar's colour (RGB). */
    final int colour() {
        return colour;
    }

    abstract String root();

    /** The title bar's text on {@code screen}. */
    abstract String title(String screen);

    /** Lays {@code screen} out: what is on it, from the app's state now. */
    abstract void lay(String screen, ScreenLayout layout, Navigation go);

    /** What a person at the phone does when the agent hands over on {@code screen} (signs in, say); false when there is nothing to do. */
    boolean takeOver(String screen, Navigation go) {
        return false;
    }

    static String kind(String screen) {
        int slash = screen.indexOf('/');
        return slash < 0 ? screen : screen.substring(0, slash);
    }

    static String subject(String screen) {
        int slash = screen.indexOf('/');
        return slash < 0 ? "" : screen.substring(slash + 1);
    }
}
