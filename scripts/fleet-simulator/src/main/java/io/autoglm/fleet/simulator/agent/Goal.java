package io.autoglm.fleet.simulator.agent;

import io.autoglm.fleet.events.agent.AgentReply;
import io.autoglm.fleet.events.agent.RelativePoint;
import io.autoglm.fleet.events.agent.StepAction;
import io.autoglm.fleet.simulator.phone.Screen;
import io.autoglm.fleet.simulator.phone.Widget;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What an instruction asks of the simulated phone, read from its words (English, and the common Chinese
 * forms), and how to get there one step at a time: given the screen now and the task's earlier replies,
 * the next {@link Move}, until the goal shows on the screen and the move is {@code finish}. The simulated
 * model knows the simulated apps as a real one knows real apps; it sees only what the screenshot shows.
 */
public sealed interface Goal {

    String SETTINGS = "Settings";
    String MESSAGES = "Messages";
    String SHOP = "Shop";
    String HOME = "System Home";

    /** The next step from {@code screen}; {@code earlier}: this task's replies so far that parsed, oldest first. */
    Move next(Screen screen, List<AgentReply> earlier);

    /** A goal within one app: first any page loading is waited for and the app brought to the front, then {@link #within}. */
    sealed interface InApp extends Goal {

        /** The app the goal is reached in. */
        String app();

        /** The next step once the app is in front and its page loaded. */
        Move within(Screen screen, List<AgentReply> earlier);

        @Override
        default Move next(Screen screen, List<AgentReply> earlier) {
            if (screen.loading()) {
                return new Move("The page is still loading: wait for it.", new StepAction.Wait(Duration.ofSeconds(1)));
            }
            if (!screen.app().equals(app())) {
                return new Move("Open " + app() + ".", new StepAction.Launch(app()));
            }
            return within(screen, earlier);
        }
    }

    /** Reads an instruction; one the model does not understand is {@link Unknown}. */
    static Goal of(String instruction) {
        return Instructions.read(instruction);
    }

    /** A switch in Settings turned on or off: on the main list, or on the page its row opens. */
    record Switch(String label, String row, String switchId, boolean on, Pattern words) implements InApp {

        static final List<Switch> KNOWN = List.of(
                new Switch("Wi-Fi", "wifi", "wifi", true, Pattern.compile("wi-?fi|wlan|无线")),
                new Switch("Bluetooth", "bluetooth", "bluetooth", true, Pattern.compile("bluetooth|蓝牙")),
                new Switch("Airplane mode", null, "airplane", true, Pattern.compile("airplane|aeroplane|flight mode|飞行模式")),
                new Switch("Dark theme", "display", "dark-theme", true, Pattern.compile("dark (theme|mode)|深色|暗色|夜间模式")));

        Switch turned(boolean wanted) {
            return new Switch(label, row, switchId, wanted, words);
        }

        @Override
        public String app() {
            return SETTINGS;
        }

        @Override
        public Move within(Screen screen, List<AgentReply> earlier) {
            Optional<Widget> toggle = screen.widget(switchId).filter(widget -> widget.kind() == Widget.Kind.SWITCH);
            if (toggle.isPresent()) {
                return toggle.get().on() == on
                        ? finish(label + " is " + (on ? "on" : "off") + " now.")
                        : tap(toggle.get(), label + " is " + (on ? "off" : "on") + ": tap its switch to turn it " + (on ? "on" : "off") + ".");
            }
            if (screen.screen().equals("main")) {
                return reach(screen, row == null ? switchId : row, "Open " + label + " in Settings.")
                        .orElseGet(() -> finish("There is no " + label + " in Settings."));
            }
            return back("This Settings page is not " + label + ": go back.");
        }
    }

    /** A message sent to a contact. */
    record SendMessage(String contact, String text) implements InApp {

        static final String SENDING = "Tap Send to send";

        @Override
        public String app() {
            return MESSAGES;
        }

        @Override
        public Move within(Screen screen, List<AgentReply> earlier) {
            if (screen.screen().equals("list")) {
                return reach(screen, "contact-" + contact.toLowerCase(Locale.ROOT), "Open the conversation with " + contact + ".")
                        .orElseGet(() -> finish("There is no conversation with " + contact + " in Messages."));
            }
            if (!screen.screen().equals("conversation") || !screen.title().equalsIgnoreCase(contact)) {
                return back("This is not the conversation with " + contact + ": go back to the list.");
            }
            List<Widget> messages = screen.widgets().stream().filter(widget -> widget.kind() == Widget.Kind.TEXT).toList();
            boolean sent = earlier.stream().anyMatch(reply -> reply.thinking().startsWith(SENDING));
            if (sent && !messages.isEmpty() && messages.get(messages.size() - 1).label().equals("Me: " + text)) {
                return finish("Sent \"" + text + "\" to " + screen.title() + ".");
            }
            Optional<Widget> compose = screen.widget("compose");
            Optional<Widget> send = screen.widget("send");
            if (compose.isEmpty() || send.isEmpty()) {
                return finish("The conversation with " + contact + " has no way to write.");
            }
            if (text.equals(compose.get().value())) {
                return tap(send.get(), SENDING + " \"" + text + "\" to " + screen.title() + ".");
            }
            if (Boolean.TRUE.equals(compose.get().focused())) {
                return new Move("The message field has the keyboard: type the message.", new StepAction.Type(text, false));
            }
            return tap(compose.get(), "Tap the message field to write to " + screen.title() + ".");
        }
    }

    /** The shop's results for a search on the screen. */
    record Search(String query) implements InApp {

        @Override
        public String app() {
            return SHOP;
        }

        @Override
        public Move within(Screen screen, List<AgentReply> earlier) {
            if (showsResults(screen, query)) {
                return finish(screen.widget("summary").map(Widget::label).orElse("Results") + ".");
            }
            return searching(screen, query);
        }
    }

    /** A product bought in the shop: searched, opened, signed in for (by a person), paid (with a person's confirmation). */
    record Buy(String query) implements InApp {

        static final String OPENING = "Open the product ";

        @Override
        public String app() {
            return SHOP;
        }

        @Override
        public Move within(Screen screen, List<AgentReply> earlier) {
            boolean paid = earlier.stream().anyMatch(reply -> reply.action() instanceof StepAction.Tap tap && tap.sensitiveMessage() != null);
            switch (screen.screen()) {
                case "ordered" -> {
                    if (paid) {
                        return finish("Bought it: " + screen.widget("order").map(Widget::label).orElse("order placed") + ".");
                    }
                    return screen.widget("done").map(done -> tap(done, "An earlier order: leave it.")).orElseGet(() -> back("Leave this page."));
                }
                case "checkout" -> {
                    Optional<Widget> pay = screen.widget("pay");
                    String item = screen.widget("item").map(Widget::label).orElse(query);
                    if (pay.isPresent()) {
                        String price = pay.get().label().replaceFirst("^Pay\\s*", "");
                        return new Move("The checkout is ready: paying needs the user's confirmation.",
                                new StepAction.Tap(pay.get().box().center(), "Pay " + price + " for " + item + "?"));
                    }
                    return back("The checkout cannot be paid: go back.");
                }
                case "sign-in" -> {
                    return new Move("The shop asks to sign in, which only the user can do.",
                            new StepAction.TakeOver("Please sign in to the Shop, then hand the phone back."));
                }
                case "product" -> {
                    boolean chosen = earlier.stream().anyMatch(reply -> reply.thinking().equals(OPENING + screen.title() + "."));
                    Optional<Widget> buy = screen.widget("buy");
                    if (chosen && buy.isPresent()) {
                        return tap(buy.get(), "This is " + screen.title() + ": buy it now.");
                    }
                    return back("This is not the product wanted: go back.");
                }
                default -> {
                    if (showsResults(screen, query)) {
                        return screen.widgets().stream().filter(widget -> widget.id().startsWith("product-")).findFirst()
                                .map(product -> tap(product, OPENING + product.label() + "."))
                                .orElseGet(() -> finish("The shop has nothing for \"" + query + "\"."));
                    }
                    return searching(screen, query);
                }
            }
        }
    }

    /** The phone's Android version, read off About phone (at the bottom of Settings' list). */
    record AboutPhone() implements InApp {
        @Override
        public String app() {
            return SETTINGS;
        }

        @Override
        public Move within(Screen screen, List<AgentReply> earlier) {
            Optional<Widget> version = screen.widget("android-version");
            if (version.isPresent()) {
                return finish("The phone runs " + version.get().label().replace(":", "") + ".");
            }
            if (screen.screen().equals("main")) {
                return reach(screen, "about", "Open About phone.").orElseGet(() -> finish("Settings has no About phone."));
            }
            return back("Go back to the main Settings list.");
        }
    }

    /** An app in front. */
    record OpenApp(String app) implements Goal {
        @Override
        public Move next(Screen screen, List<AgentReply> earlier) {
            if (screen.app().equalsIgnoreCase(app)) {
                return finish(screen.app() + " is open.");
            }
            boolean tried = earlier.stream().anyMatch(reply -> reply.action() instanceof StepAction.Launch launch && launch.app().equals(app));
            if (tried) {
                return finish(app + " would not open: it may not be installed.");
            }
            return new Move("Open " + app + ".", new StepAction.Launch(app));
        }
    }

    /** The home screen. */
    record GoHome() implements Goal {
        @Override
        public Move next(Screen screen, List<AgentReply> earlier) {
            return screen.app().equals(HOME) ? finish("This is the home screen.") : new Move("Go to the home screen.", new StepAction.Home());
        }
    }

    /** An instruction the simulated model cannot follow on the simulated apps. */
    record Unknown(String instruction) implements Goal {
        @Override
        public Move next(Screen screen, List<AgentReply> earlier) {
            return finish("The simulated model cannot do this on the simulated phone: " + instruction);
        }
    }

    /** Taps {@code id} on a list, scrolling to it first: empty when the list does not have it. */
    private static Optional<Move> reach(Screen screen, String id, String thinking) {
        Optional<Widget> widget = screen.widget(id);
        if (widget.isPresent()) {
            return Optional.of(tap(widget.get(), thinking));
        }
        if (screen.moreBelow()) {
            return Optional.of(new Move("It is not in sight: scroll down the list.",
                    new StepAction.Swipe(new RelativePoint(500, 800), new RelativePoint(500, 300))));
        }
        if (screen.moreAbove()) {
            return Optional.of(new Move("It is not in sight: scroll back up the list.",
                    new StepAction.Swipe(new RelativePoint(500, 300), new RelativePoint(500, 800))));
        }
        return Optional.empty();
    }

    private static boolean showsResults(Screen screen, String query) {
        return screen.screen().equals("results") && screen.widget("search").map(Widget::value).filter(query::equalsIgnoreCase).isPresent();
    }

    /** From the shop's home: the query in the search field, then Search; from anywhere else in the shop, back. */
    private static Move searching(Screen screen, String query) {
        if (!screen.screen().equals("home")) {
            return back("Go back to the shop's home to search.");
        }
        Optional<Widget> field = screen.widget("search");
        Optional<Widget> button = screen.widget("search-button");
        if (field.isEmpty() || button.isEmpty()) {
            return finish("The shop has no search.");
        }
        if (query.equals(field.get().value())) {
            return tap(button.get(), "The search field holds \"" + query + "\": tap Search.");
        }
        if (Boolean.TRUE.equals(field.get().focused())) {
            return new Move("The search field has the keyboard: type the query.", new StepAction.Type(query, false));
        }
        return tap(field.get(), "Tap the search field.");
    }

    private static Move tap(Widget widget, String thinking) {
        return new Move(thinking, new StepAction.Tap(widget.box().center(), null));
    }

    private static Move back(String thinking) {
        return new Move(thinking, new StepAction.Back());
    }

    private static Move finish(String message) {
        return new Move("The task is done.", new StepAction.Finish(message));
    }
}
