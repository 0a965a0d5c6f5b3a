package io.autoglm.fleet.simulator.phone;

import io.autoglm.fleet.events.agent.RelativePoint;
import io.autoglm.fleet.events.command.CommandAction;
import io.autoglm.fleet.events.command.CommandFailureReason;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The phone a simulated device is: the home screen and a few apps (Settings, Messages, Shop), the one in
 * front, and each app's screens, so that commands change it as they would change a phone. Launch opens an
 * app where it was left; a tap inside a widget's box does what the widget does (opens a screen, flips a
 * switch, gives a field the keyboard) and a tap on nothing changes nothing; Type fills the field with the
 * keyboard; Swipe scrolls a long list; Back closes the keyboard, then the screen, then the app; Home goes
 * home; a page that loads is ready after the next action (a Wait). {@link #screenshot()} is a real PNG
 * of it, carrying its {@link Screen} description. Thread-safe; no I/O.
 */
public final class SimulatedPhone {

    /** The app name a phone reports when no app is in front, as the device agent does. */
    public static final String HOME = "System Home";

    private static final Pattern POINT = Pattern.compile("\\s*\\[\\s*(\\d{1,3})\\s*,\\s*(\\d{1,3})\\s*]\\s*");

    private final List<PhoneApp> apps;
    private final Launcher launcher;
    private final Map<PhoneApp, Deque<String>> screens = new HashMap<>();
    private final Map<String, Integer> scrolls = new HashMap<>();
    private final Navigation navigation = new Moves();
    private PhoneApp front;
    private String focused;
    private boolean loading;
    private Screen drawn;
    private byte[] png;

    public SimulatedPhone() {
        apps = List.of(new SettingsApp(), new MessagesApp(), new ShopApp());
        launcher = new Launcher(apps);
        front = launcher;
    }

    /** The app in front by the name the agent model uses, or {@value #HOME}. */
    public synchronized String currentApp() {
        return front.name();
    }

    /** What the screen shows now. */
    public synchronized Screen screen() {
        return laidOut().screen();
    }

    /** The screen now as a PNG, with its description in it; drawn again only when the screen changed. */
    public synchronized byte[] screenshot() {
        Screen now = screen();
        if (!now.equals(drawn)) {
            png = SimulatedScreenshot.render(now, front.colour());
            drawn = now;
        }
        return png.clone();
    }

    /**
     * Carries out a command as the phone would; says what it did ({@code "tapped Wi-Fi"}, {@code "nothing at [5,5]"}).
     * An observation changes nothing (take {@link #screenshot()}).
     */
    public synchronized String execute(CommandAction action) throws PhoneActionFailed {
        Map<String, String> params = action.params();
        boolean wasLoading = loading;
        switch (action.type()) {
            case OBSERVE, NOTE, CALL_API, INTERACT -> {
                return "nothing changes on the phone";
            }
            default -> loading = false;
        }
        return switch (action.type()) {
            case LAUNCH -> launch(params.get("app"));
            case TAP, DOUBLE_TAP -> touch(point(params, "element"), wasLoading, false);
            case LONG_PRESS -> touch(point(params, "element"), wasLoading, true);
            case TYPE, TYPE_NAME -> type(params.getOrDefault("text", ""));
            case SWIPE -> swipe(point(params, "start"), point(params, "end"));
            case BACK -> back();
            case HOME -> {
                front = launcher;
                focused = null;
                yield "went home";
            }
            case WAIT -> wasLoading ? "waited: the page has loaded" : "waited";
            case TAKE_OVER -> takeOver() ? "a person took over and finished" : "a person looked and found nothing to do";
            default -> "nothing changes on the phone";
        };
    }

    /**
     * What a person does when the agent hands the phone over: signs in where a sign-in page asks. Whoever
     * answers a simulated take-over calls it (a {@code Take_over} command on the device does the same).
     */
    public synchronized boolean takeOver() {
        loading = false;
        return front.takeOver(current(), navigation);
    }

    private String launch(String app) throws PhoneActionFailed {
        if (app == null || app.isBlank()) {
            throw new PhoneActionFailed(CommandFailureReason.INVALID_ARGUMENTS, "Launch needs an 'app'");
        }
        PhoneApp found = launcher.answersTo(app) ? launcher : apps.stream().filter(candidate -> candidate.answersTo(app)).findFirst()
                .orElseThrow(() -> new PhoneActionFailed(CommandFailureReason.APP_NOT_INSTALLED, app + " is not installed (this phone has "
                        + String.join(", ", apps.stream().map(PhoneApp::name).toList()) + ")"));
        front = found;
        focused = null;
        return "launched " + found.name();
    }

    private String touch(RelativePoint at, boolean wasLoading, boolean longPress) {
        if (wasLoading) {
            return "nothing at " + at + ": the page was still loading";
        }
        for (Control control : laidOut().controls()) {
            if (control.widget().box().contains(at)) {
                Runnable effect = longPress ? control.longPress() : control.tap();
                if (effect != null) {
                    effect.run();
                }
                return (longPress ? "long-pressed " : "tapped ") + control.widget().label();
            }
        }
        return "nothing at " + at;
    }

    private String type(String text) {
        for (Control control : laidOut().controls()) {
            if (control.widget().id().equals(focused) && control.typed() != null) {
                control.typed().accept(text);
                return "typed " + text.codePointCount(0, text.length()) + " characters into " + control.widget().label();
            }
        }
        return "typed into nothing: no field has the keyboard";
    }

    private String swipe(RelativePoint start, RelativePoint end) {
        int dy = end.y() - start.y();
        if (Math.abs(dy) < 100 || Math.abs(dy) < Math.abs(end.x() - start.x())) {
            return "swiped: nothing scrolls that way";
        }
        Laid laid = laidOut();
        String key = front.name() + "/" + current();
        int from = Math.min(scrolls.getOrDefault(key, 0), laid.maxScroll());
        int to = Math.max(0, Math.min(laid.maxScroll(), from + (dy < 0 ? laid.page() : -laid.page())));
        scrolls.put(key, to);
        return to == from ? "swiped: the list is at its end" : "scrolled " + (dy < 0 ? "down" : "up");
    }

    private String back() {
        if (focused != null) {
            focused = null;
            return "closed the keyboard";
        }
        Deque<String> stack = stack(front);
        if (stack.size() > 1) {
            leave(stack.pop());
            return "went back to " + front.title(current());
        }
        if (front != launcher) {
            front = launcher;
            return "went home";
        }
        return "nothing to go back to";
    }

    private RelativePoint point(Map<String, String> params, String name) throws PhoneActionFailed {
        String value = params.get(name);
        Matcher matcher = value == null ? null : POINT.matcher(value);
        if (matcher == null || !matcher.matches() || Integer.parseInt(matcher.group(1)) > RelativePoint.MAX
                || Integer.parseInt(matcher.group(2)) > RelativePoint.MAX) {
            throw new PhoneActionFailed(CommandFailureReason.INVALID_ARGUMENTS, "'" + name + "' must be [x,y] in 0-" + RelativePoint.MAX + ", got " + value);
        }
        return new RelativePoint(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)));
    }

    private Deque<String> stack(PhoneApp app) {
        return screens.computeIfAbsent(app, first -> new ArrayDeque<>(List.of(first.root())));
    }

    private String current() {
        return stack(front).peek();
    }

    /** A screen left for good forgets its scroll. */
    private void leave(String screen) {
        scrolls.remove(front.name() + "/" + screen);
        focused = null;
    }

    /** The screen in front, laid out: its description and what each widget does. */
    private record Laid(Screen screen, List<Control> controls, int maxScroll, int page) {
    }

    private Laid laidOut() {
        String screen = current();
        String title = front.title(screen);
        if (loading) {
            return new Laid(new Screen(front.name(), front.packageName(), PhoneApp.kind(screen), title, true, false, false,
                    List.of(new Widget("loading", Widget.Kind.TEXT, "Loading...", new Box(ScreenLayout.LEFT, 450, ScreenLayout.RIGHT, 510), null, null,
                            null))), List.of(), 0, 0);
        }
        ScreenLayout layout = new ScreenLayout(focused, field -> focused = field);
        front.lay(screen, layout, navigation);
        ScreenLayout.Placed placed = layout.place(scrolls.getOrDefault(front.name() + "/" + screen, 0));
        return new Laid(new Screen(front.name(), front.packageName(), PhoneApp.kind(screen), title, false, placed.moreAbove(), placed.moreBelow(),
                placed.controls().stream().map(Control::widget).toList()), placed.controls(), placed.maxScroll(), layout.page());
    }

    /** Moves between screens and apps, on behalf of the apps' widgets. */
    private final class Moves implements Navigation {
        @Override
        public void open(String screen) {
            focused = null;
            stack(front).push(screen);
        }

        @Override
        public void openLoading(String screen) {
            open(screen);
            loading = true;
        }

        @Override
        public void replace(String screen) {
            leave(stack(front).pop());
            stack(front).push(screen);
        }

        @Override
        public void toRoot() {
            Deque<String> stack = stack(front);
            while (stack.size() > 1) {
                leave(stack.pop());
            }
        }

        @Override
        public void launch(String app) {
            apps.stream().filter(candidate -> candidate.answersTo(app)).findFirst().ifPresent(found -> {
                front = found;
                focused = null;
            });
        }
    }
}
