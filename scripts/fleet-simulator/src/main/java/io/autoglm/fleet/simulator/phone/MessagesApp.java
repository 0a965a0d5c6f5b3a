package io.autoglm.fleet.simulator.phone;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The simulated messaging app: a list of conversations longer than the screen (a long press pins one to
 * the top), and per contact the newest messages with a compose bar: a tap on the field gives it the
 * keyboard, Type fills it, Send sends what it holds. Each contact keeps its draft.
 */
final class MessagesApp extends PhoneApp {

    static final String NAME = "Messages";
    static final String ME = "Me";
    private static final int SHOWN = 6;

    private final Map<String, List<String>> conversations = new LinkedHashMap<>();
    private final Map<String, String> drafts = new HashMap<>();
    private final Set<String> pinned = new LinkedHashSet<>();

    MessagesApp() {
        super(NAME, "com.google.android.apps.messaging", List.of("信息", "短信", "SMS", "Messaging"), 0x188038);
        String[][] opening = {{"Alice", "Lunch tomorrow?"}, {"Bob", "The build is green"}, {"Carol", "See you at 6"}, {"David", "Thanks!"},
                {"Emma", "Call me back"}, {"Frank", "Got the tickets"}, {"Grace", "On my way"}, {"Henry", "Happy birthday!"},
                {"Ivy", "Where are you?"}, {"Jack", "ok"}, {"张三", "明天见"}, {"Zoe", "Welcome aboard"}};
        for (String[] contact : opening) {
            conversations.put(contact[0], new ArrayList<>(List.of(contact[0] + ": " + contact[1])));
        }
    }

    @Override
    String root() {
        return "list";
    }

    @Override
    String title(String screen) {
        return kind(screen).equals("conversation") ? subject(screen) : NAME;
    }

    @Override
    void lay(String screen, ScreenLayout layout, Navigation go) {
        if (kind(screen).equals("conversation") && conversations.containsKey(subject(screen))) {
            String contact = subject(screen);
            List<String> messages = conversations.get(contact);
            for (int i = Math.max(0, messages.size() - SHOWN); i < messages.size(); i++) {
                layout.text("message-" + (i + 1), messages.get(i));
            }
            layout.compose("compose", "Text message", drafts.getOrDefault(contact, ""), text -> drafts.put(contact, text), "send", "Send",
                    () -> send(contact));
            return;
        }
        List<String> order = new ArrayList<>(pinned);
        conversations.keySet().stream().filter(contact -> !pinned.contains(contact)).forEach(order::add);
        for (String contact : order) {
            List<String> messages = conversations.get(contact);
            String last = messages.get(messages.size() - 1);
            layout.row("contact-" + contact.toLowerCase(), contact, (pinned.contains(contact) ? "Pinned · " : "") + last,
                    () -> go.open("conversation/" + contact), () -> {
                        if (!pinned.remove(contact)) {
                            pinned.add(contact);
                        }
                    });
        }
    }

    private void send(String contact) {
        String draft = drafts.getOrDefault(contact, "");
        if (!draft.isBlank()) {
            conversations.get(contact).add(ME + ": " + draft);
            drafts.remove(contact);
        }
    }
}
