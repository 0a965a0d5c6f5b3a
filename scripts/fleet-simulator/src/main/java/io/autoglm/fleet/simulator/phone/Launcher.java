package io.autoglm.fleet.simulator.phone;

import java.util.List;

/** The home screen: the clock and an icon for each simulated app; a tap on an icon opens the app. */
final class Launcher extends PhoneApp {

    private final List<PhoneApp> apps;

    Launcher(List<PhoneApp> apps) {
        super(SimulatedPhone.HOME, "com.android.launcher3", List.of("Home", "Launcher", "桌面"), 0x37474f);
        this.apps = List.copyOf(apps);
    }

    @Override
    String root() {
        return "home";
    }

    @Override
    String title(String screen) {
        return "Home";
    }

    @Override
    void lay(String screen, ScreenLayout layout, Navigation go) {
        layout.text("clock", "12:00  Thursday");
        for (int from = 0; from < apps.size(); from += 3) {
            List<PhoneApp> row = apps.subList(from, Math.min(apps.size(), from + 3));
            layout.icons(row.stream().map(app -> "app-" + app.name().toLowerCase()).toList(), row.stream().map(PhoneApp::name).toList(),
                    row.stream().<Runnable>map(app -> () -> go.launch(app.name())).toList());
        }
    }
}
