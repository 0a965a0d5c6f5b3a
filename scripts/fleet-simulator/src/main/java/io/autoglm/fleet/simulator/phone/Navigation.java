package io.autoglm.fleet.simulator.phone;

/** What a simulated app's widgets can do to the phone beyond their own app's state: move between screens and apps. */
interface Navigation {

    /** Opens {@code screen} of the app in front on top of the current one (Back returns). */
    void open(String screen);

    /** Opens {@code screen} on top, still loading: it shows nothing usable until the next action. */
    void openLoading(String screen);

    /** Replaces the current screen by {@code screen} (Back skips it). */
    void replace(String screen);

    /** Back to the app's first screen. */
    void toRoot();

    /** Brings {@code app} to the front, by its name. */
    void launch(String app);
}
