package io.autoglm.fleet.simulator.phone;

import java.util.List;

/**
 * The simulated Settings: Wi-Fi, Bluetooth and Display (dark theme) each behind a row of the main list,
 * airplane mode switched on the list itself, rows that open pages with nothing to set, and About phone
 * at the bottom of a list longer than the screen (a swipe reaches it).
 */
final class SettingsApp extends PhoneApp {

    static final String NAME = "Settings";
    private static final List<String> NETWORKS = List.of("HomeNet", "CoffeeShop", "Airport_Free");
    private static final List<String> PLAIN_PAGES = List.of("Sound", "Battery", "Storage", "Apps", "Security", "Location", "Accounts", "System");

    private boolean wifi;
    private boolean bluetooth = true;
    private boolean airplane;
    private boolean darkTheme;
    private String network = NETWORKS.get(0);

    SettingsApp() {
        super(NAME, "com.android.settings", List.of("设置", "System Settings"), 0x1a73e8);
    }

    @Override
    String root() {
        return "main";
    }

    @Override
    String title(String screen) {
        return switch (kind(screen)) {
            case "wifi" -> "Wi-Fi";
            case "bluetooth" -> "Bluetooth";
            case "display" -> "Display";
            case "about" -> "About phone";
            case "page" -> subject(screen);
            default -> NAME;
        };
    }

    @Override
    void lay(String screen, ScreenLayout layout, Navigation go) {
        switch (kind(screen)) {
            case "wifi" -> {
                layout.toggle("wifi", "Use Wi-Fi", wifi, () -> wifi = !wifi);
                if (wifi) {
                    for (String name : NETWORKS) {
                        layout.row("network-" + name.toLowerCase(), name, name.equals(network) ? "Connected" : "Saved", () -> network = name);
                    }
                }
            }
            case "bluetooth" -> {
                layout.toggle("bluetooth", "Use Bluetooth", bluetooth, () -> bluetooth = !bluetooth);
                if (bluetooth) {
                    layout.text("visible", "Visible as \"AutoGLM Sim Phone\"");
                }
            }
            case "display" -> {
                layout.toggle("dark-theme", "Dark theme", darkTheme, () -> darkTheme = !darkTheme);
                layout.text("brightness", "Brightness: adaptive");
            }
            case "about" -> {
                layout.text("model", "Model: AutoGLM Sim Phone");
                layout.text("android-version", "Android version: 14");
                layout.text("build", "Build number: SIM.1.4.2");
            }
            case "page" -> layout.text("nothing", "Nothing to set here");
            default -> {
                layout.row("wifi", "Wi-Fi", wifi && !airplane ? network : "Off", () -> go.open("wifi"));
                layout.row("bluetooth", "Bluetooth", bluetooth ? "On" : "Off", () -> go.open("bluetooth"));
                layout.toggle("airplane", "Airplane mode", airplane, () -> airplane = !airplane);
                layout.row("display", "Display", darkTheme ? "Dark theme" : "Light theme", () -> go.open("display"));
                for (String page : PLAIN_PAGES) {
                    layout.row(page.toLowerCase(), page, null, () -> go.open("page/" + page));
                }
                layout.row("about", "About phone", "AutoGLM Sim Phone", () -> go.open("about"));
            }
        }
    }
}
