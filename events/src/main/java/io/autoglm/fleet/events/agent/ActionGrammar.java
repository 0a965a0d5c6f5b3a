package io.autoglm.fleet.events.agent;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes the answers of Open-AutoGLM's phone-agent models:
 * {@code <think>...</think><answer>do(action="Tap", element=[500,300])</answer>} or
 * {@code ... finish(message="...")}, as {@link StepAction}s.
 * <p>
 * A reply that is not exactly one action of the grammar is an {@link UnparseableReplyException}
 * saying what is wrong (an unknown action, a missing or extra argument, a coordinate off the 0-999
 * screen, text after the action): Open-AutoGLM turns such a reply into {@code finish}; we do not.
 * Strings are double- or single-quoted with Python's escapes; as the models do not always escape the
 * quotes inside a {@code Type} text, a quote closes a string only where an argument or the call can
 * end after it ({@code ,} and the next {@code name=}, or the final {@code )}).
 */
public final class ActionGrammar {

    /** The longest {@code Wait} a model may ask for. */
    public static final Duration MAX_WAIT = Duration.ofSeconds(60);

    private static final String THINK = "<think>";
    private static final String THINK_END = "</think>";
    private static final String ANSWER = "<answer>";
    private static final String ANSWER_END = "</answer>";
    private static final String DO_CALL = "do(action=";
    private static final String FINISH_CALL = "finish(message=";
    private static final Pattern NEXT_ARGUMENT = Pattern.compile("\\s*,\\s*[A-Za-z_][A-Za-z0-9_]*\\s*=");
    private static final Pattern SECONDS = Pattern.compile("\\s*(\\d{1,6}(?:\\.\\d{1,6})?)\\s*(?:seconds?|secs?|s)?\\s*", Pattern.CASE_INSENSITIVE);

    /** Each action's arguments: required first, then optional ones (marked with a leading '?'). */
    private static final Map<String, List<String>> ARGUMENTS = new LinkedHashMap<>();

    static {
        ARGUMENTS.put("Launch", List.of("app"));
        ARGUMENTS.put("Tap", List.of("element", "?message"));
        ARGUMENTS.put("Type", List.of("text"));
        ARGUMENTS.put("Type_Name", List.of("text"));
        ARGUMENTS.put("Interact", List.of());
        ARGUMENTS.put("Swipe", List.of("start", "end"));
        ARGUMENTS.put("Note", List.of("?message"));
        ARGUMENTS.put("Call_API", List.of("instruction"));
        ARGUMENTS.put("Long Press", List.of("element"));
        ARGUMENTS.put("Double Tap", List.of("element"));
        ARGUMENTS.put("Take_over", List.of("?message"));
        ARGUMENTS.put("Back", List.of());
        ARGUMENTS.put("Home", List.of());
        ARGUMENTS.put("Wait", List.of("?duration"));
    }

    private ActionGrammar() {
    }

    /** The action names of {@code do(action=...)}, in the order the prompt lists them. */
    public static Set<String> actionNames() {
        return ARGUMENTS.keySet();
    }

    /** Reads one model reply. */
    public static AgentReply parse(String raw) throws UnparseableReplyException {
        if (raw == null || raw.isBlank()) {
            throw new UnparseableReplyException(raw, "the reply is empty");
        }
        String thinking;
        String answer;
        int answerAt = raw.indexOf(ANSWER);
        if (answerAt >= 0) {
            int answerEnd = raw.indexOf(ANSWER_END, answerAt);
            answer = raw.substring(answerAt + ANSWER.length(), answerEnd >= 0 ? answerEnd : raw.length());
            if (answerEnd >= 0 && !raw.substring(answerEnd + ANSWER_END.length()).isBlank()) {
                throw new UnparseableReplyException(raw, "there is text after </answer>");
            }
            thinking = thinking(raw.substring(0, answerAt));
        } else {
            int call = firstCall(raw);
            if (call < 0) {
                throw new UnparseableReplyException(raw, "the reply has no <answer> and no do(action=...) or finish(message=...) in it");
            }
            thinking = thinking(raw.substring(0, call));
            answer = raw.substring(call);
        }
        return new AgentReply(raw, thinking, answer.strip(), action(raw, answer));
    }

    /** Reads an answer alone ({@code do(action="Back")}). */
    public static StepAction parseAction(String answer) throws UnparseableReplyException {
        if (answer == null || answer.isBlank()) {
            throw new UnparseableReplyException(answer, "the answer is empty");
        }
        return action(answer, answer);
    }

    /** The action as the model writes it, e.g. {@code do(action="Tap", element=[500,300])}: {@link #parseAction} reads it back equal. */
    public static String format(StepAction action) {
        if (action instanceof StepAction.Finish finish) {
            return "finish(message=" + quote(finish.message()) + ")";
        }
        StringBuilder text = new StringBuilder("do(action=").append(quote(action.name()));
        if (action instanceof StepAction.Launch launch) {
            argument(text, "app", quote(launch.app()));
        } else if (action instanceof StepAction.Tap tap) {
            argument(text, "element", tap.element().toString());
            if (tap.sensitiveMessage() != null) {
                argument(text, "message", quote(tap.sensitiveMessage()));
            }
        } else if (action instanceof StepAction.Type type) {
            argument(text, "text", quote(type.text()));
        } else if (action instanceof StepAction.Swipe swipe) {
            argument(text, "start", swipe.start().toString());
            argument(text, "end", swipe.end().toString());
        } else if (action instanceof StepAction.Note note) {
            argument(text, "message", quote(note.message()));
        } else if (action instanceof StepAction.CallApi call) {
            argument(text, "instruction", quote(call.instruction()));
        } else if (action instanceof StepAction.LongPress press) {
            argument(text, "element", press.element().toString());
        } else if (action instanceof StepAction.DoubleTap tap) {
            argument(text, "element", tap.element().toString());
        } else if (action instanceof StepAction.TakeOver takeOver) {
            argument(text, "message", quote(takeOver.message()));
        } else if (action instanceof StepAction.Wait wait) {
            argument(text, "duration", quote(seconds(wait.duration()) + " seconds"));
        }
        return text.append(')').toString();
    }

    /** An assistant turn as the model wrote it: {@code <think>thinking</think><answer>action</answer>}. */
    public static String formatTurn(String thinking, StepAction action) {
        return THINK + (thinking == null ? "" : thinking) + THINK_END + ANSWER + format(action) + ANSWER_END;
    }

    private static void argument(StringBuilder text, String name, String value) {
        text.append(", ").append(name).append('=').append(value);
    }

    private static String seconds(Duration duration) {
        BigDecimal seconds = BigDecimal.valueOf(duration.toNanos(), 9).stripTrailingZeros();
        return seconds.scale() < 0 ? seconds.setScale(0).toPlainString() : seconds.toPlainString();
    }

    private static String quote(String value) {
        StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }

    /** The earliest {@code do(action=} or {@code finish(message=}, or -1. */
    private static int firstCall(String raw) {
        int doAt = raw.indexOf(DO_CALL);
        int finishAt = raw.indexOf(FINISH_CALL);
        if (doAt < 0) {
            return finishAt;
        }
        return finishAt < 0 ? doAt : Math.min(doAt, finishAt);
    }

    private static String thinking(String before) {
        String text = before;
        int start = text.indexOf(THINK);
        if (start >= 0) {
            text = text.substring(start + THINK.length());
        }
        int end = text.indexOf(THINK_END);
        if (end >= 0) {
            text = text.substring(0, end);
        }
        return text.strip();
    }

    private static StepAction action(String raw, String answer) throws UnparseableReplyException {
        Call call = new Reader(raw, answer.strip()).call();
        try {
            return call.finish ? finish(call) : typed(call);
        } catch (IllegalArgumentException e) {
            throw new UnparseableReplyException(raw, e.getMessage());
        }
    }

    private static StepAction finish(Call call) {
        Map<String, Object> arguments = call.arguments;
        expectOnly("finish", arguments, List.of("message"));
        return new StepAction.Finish(text(arguments, "finish", "message"));
    }

    private static StepAction typed(Call call) {
        Map<String, Object> arguments = new LinkedHashMap<>(call.arguments);
        Object name = arguments.remove("action");
        if (!(name instanceof String action)) {
            throw new IllegalArgumentException(name == null ? "do(...) needs action=\"...\" first" : "action must be a quoted name, got " + name);
        }
        List<String> expected = ARGUMENTS.get(action);
        if (expected == null) {
            throw new IllegalArgumentException("unknown action '" + action + "'; the actions are " + String.join(", ", ARGUMENTS.keySet())
                    + " and finish(message=...)");
        }
        expectOnly(action, arguments, expected);
        switch (action) {
            case "Launch":
                return new StepAction.Launch(text(arguments, action, "app"));
            case "Tap":
                return new StepAction.Tap(point(arguments, action, "element"),
                        arguments.containsKey("message") ? text(arguments, action, "message") : null);
            case "Type":
            case "Type_Name":
                return new StepAction.Type(text(arguments, action, "text"), action.equals("Type_Name"));
            case "Interact":
                return new StepAction.Interact();
            case "Swipe":
                return new StepAction.Swipe(point(arguments, action, "start"), point(arguments, action, "end"));
            case "Note":
                return new StepAction.Note(arguments.containsKey("message") ? text(arguments, action, "message") : "");
            case "Call_API":
                return new StepAction.CallApi(text(arguments, action, "instruction"));
            case "Long Press":
                return new StepAction.LongPress(point(arguments, action, "element"));
            case "Double Tap":
                return new StepAction.DoubleTap(point(arguments, action, "element"));
            case "Take_over":
                return new StepAction.TakeOver(arguments.containsKey("message") ? text(arguments, action, "message") : "");
            case "Back":
                return new StepAction.Back();
            case "Home":
                return new StepAction.Home();
            default:
                return new StepAction.Wait(arguments.containsKey("duration") ? duration(arguments.get("duration")) : Duration.ofSeconds(1));
        }
    }

    private static void expectOnly(String action, Map<String, Object> arguments, List<String> expected) {
        List<String> names = new ArrayList<>();
        for (String argument : expected) {
            String name = argument.startsWith("?") ? argument.substring(1) : argument;
            names.add(name);
            if (!argument.startsWith("?") && !arguments.containsKey(name)) {
                throw new IllegalArgumentException(action + " needs '" + name + "'");
            }
        }
        for (String given : arguments.keySet()) {
            if (!names.contains(given)) {
                throw new IllegalArgumentException(action + " takes " + (names.isEmpty() ? "no arguments" : "only " + String.join(", ", names))
                        + ", not '" + given + "'");
            }
        }
    }

    private static String text(Map<String, Object> arguments, String action, String name) {
        Object value = arguments.get(name);
        if (!(value instanceof String text)) {
            throw new IllegalArgumentException(action + "'s " + name + " must be a quoted string, got " + describe(value));
        }
        return text;
    }

    private static RelativePoint point(Map<String, Object> arguments, String action, String name) {
        Object value = arguments.get(name);
        if (!(value instanceof List<?> list) || list.size() != 2 || !(list.get(0) instanceof BigDecimal x) || !(list.get(1) instanceof BigDecimal y)
                || x.stripTrailingZeros().scale() > 0 || y.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException(action + "'s " + name + " must be [x,y], two whole numbers 0-" + RelativePoint.MAX
                    + ", got " + describe(value));
        }
        if (outside(x) || outside(y)) {
            throw new IllegalArgumentException(action + "'s " + name + " " + describe(value) + " is off the screen: coordinates are relative, 0-"
                    + RelativePoint.MAX);
        }
        return new RelativePoint(x.intValueExact(), y.intValueExact());
    }

    private static boolean outside(BigDecimal coordinate) {
        return coordinate.signum() < 0 || coordinate.compareTo(BigDecimal.valueOf(RelativePoint.MAX)) > 0;
    }

    private static Duration duration(Object value) {
        String text = value instanceof BigDecimal number ? number.toPlainString() : value instanceof String string ? string : null;
        Matcher seconds = text == null ? null : SECONDS.matcher(text);
        if (seconds == null || !seconds.matches()) {
            throw new IllegalArgumentException("Wait's duration must be \"<n> seconds\", got " + describe(value));
        }
        BigDecimal amount = new BigDecimal(seconds.group(1));
        if (amount.compareTo(BigDecimal.valueOf(MAX_WAIT.toSeconds())) > 0) {
            throw new IllegalArgumentException("Wait is at most " + MAX_WAIT.toSeconds() + " seconds, got " + amount.toPlainString());
        }
        return Duration.ofNanos(amount.movePointRight(9).longValueExact());
    }

    private static String describe(Object value) {
        if (value instanceof String text) {
            return quote(text);
        }
        if (value instanceof List<?> list) {
            List<String> items = new ArrayList<>();
            list.forEach(item -> items.add(describe(item)));
            return "[" + String.join(",", items) + "]";
        }
        return value instanceof BigDecimal number ? number.toPlainString() : String.valueOf(value);
    }

    /** A call read from an answer: {@code finish} or {@code do}, and its arguments in order. */
    private record Call(boolean finish, Map<String, Object> arguments) {
    }

    /** Reads {@code do(name=value, ...)} / {@code finish(...)}: values are strings, numbers and lists of numbers. */
    private static final class Reader {
        private final String raw;
        private final String text;
        private int at;

        Reader(String raw, String text) {
            this.raw = raw;
            this.text = text;
        }

        Call call() throws UnparseableReplyException {
            boolean finish;
            if (text.startsWith("finish")) {
                finish = true;
                at = "finish".length();
            } else if (text.startsWith("do")) {
                finish = false;
                at = "do".length();
            } else {
                throw fail("the answer is not do(...) or finish(...): it starts with " + quote(excerpt(0)));
            }
            skipSpace();
            expect('(');
            Map<String, Object> arguments = new LinkedHashMap<>();
            skipSpace();
            while (at < text.length() && text.charAt(at) != ')') {
                String name = name();
                skipSpace();
                expect('=');
                skipSpace();
                Object value = value(name);
                if (arguments.put(name, value) != null) {
                    throw fail("argument '" + name + "' is given twice");
                }
                skipSpace();
                if (at < text.length() && text.charAt(at) == ',') {
                    at++;
                    skipSpace();
                } else if (at < text.length() && text.charAt(at) != ')') {
                    throw fail("expected ',' or ')' after argument '" + name + "', found " + quote(excerpt(at)));
                }
            }
            expect(')');
            if (!text.substring(at).isBlank()) {
                throw fail("there is text after the action: " + quote(excerpt(at)) + " (one action per answer)");
            }
            return new Call(finish, arguments);
        }

        private String name() throws UnparseableReplyException {
            int start = at;
            while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_')) {
                at++;
            }
            if (start == at || Character.isDigit(text.charAt(start))) {
                throw fail("expected an argument name, found " + quote(excerpt(start)));
            }
            return text.substring(start, at);
        }

        private Object value(String name) throws UnparseableReplyException {
            if (at >= text.length()) {
                throw fail("argument '" + name + "' has no value");
            }
            char c = text.charAt(at);
            if (c == '"' || c == '\'') {
                return string(name, c);
            }
            if (c == '[') {
                at++;
                List<Object> items = new ArrayList<>();
                skipSpace();
                while (at < text.length() && text.charAt(at) != ']') {
                    items.add(number(name));
                    skipSpace();
                    if (at < text.length() && text.charAt(at) == ',') {
                        at++;
                        skipSpace();
                    } else if (at < text.length() && text.charAt(at) != ']') {
                        throw fail("argument '" + name + "' is a list of numbers, found " + quote(excerpt(at)));
                    }
                }
                expect(']');
                return items;
            }
            return number(name);
        }

        private BigDecimal number(String name) throws UnparseableReplyException {
            int start = at;
            if (at < text.length() && (text.charAt(at) == '-' || text.charAt(at) == '+')) {
                at++;
            }
            while (at < text.length() && (Character.isDigit(text.charAt(at)) || text.charAt(at) == '.')) {
                at++;
            }
            String number = text.substring(start, at);
            if (number.length() > 12) {
                throw fail("argument '" + name + "' has a number too long to be a coordinate: " + quote(excerpt(start)));
            }
            try {
                return new BigDecimal(number);
            } catch (NumberFormatException e) {
                throw fail("argument '" + name + "' must be a quoted string, a number or [x,y], found " + quote(excerpt(start)));
            }
        }

        /** A quoted string; an unescaped quote closes it only where an argument or the call can end after it. */
        private String string(String name, char quote) throws UnparseableReplyException {
            int start = at++;
            StringBuilder value = new StringBuilder();
            while (at < text.length()) {
                char c = text.charAt(at++);
                if (c == '\\' && at < text.length()) {
                    char escaped = text.charAt(at++);
                    switch (escaped) {
                        case 'n' -> value.append('\n');
                        case 't' -> value.append('\t');
                        case 'r' -> value.append('\r');
                        case '"', '\'', '\\' -> value.append(escaped);
                        default -> value.append('\\').append(escaped);
                    }
                } else if (c == quote && closes()) {
                    return value.toString();
                } else {
                    value.append(c);
                }
            }
            throw fail("argument '" + name + "' has a string that never ends: " + quote(excerpt(start)));
        }

        /** Whether what follows the quote just read can follow a string: the call's end, or the next argument. */
        private boolean closes() {
            int next = at;
            while (next < text.length() && Character.isWhitespace(text.charAt(next))) {
                next++;
            }
            if (next == text.length()) {
                return true;
            }
            char c = text.charAt(next);
            if (c == ')') {
                return text.substring(next + 1).isBlank();
            }
            return c == ',' && (NEXT_ARGUMENT.matcher(text).region(next, text.length()).lookingAt()
                    || text.substring(next + 1).strip().equals(")"));
        }

        private void expect(char c) throws UnparseableReplyException {
            if (at >= text.length()) {
                throw fail("the answer ends before its '" + c + "': " + quote(excerpt(Math.max(0, text.length() - 40))));
            }
            if (text.charAt(at) != c) {
                throw fail("expected '" + c + "', found " + quote(excerpt(at)));
            }
            at++;
        }

        private void skipSpace() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }

        private String excerpt(int from) {
            String rest = text.substring(Math.min(from, text.length()));
            return rest.length() > 40 ? rest.substring(0, 40) + "..." : rest;
        }

        private UnparseableReplyException fail(String reason) {
            return new UnparseableReplyException(raw, reason);
        }
    }
}
