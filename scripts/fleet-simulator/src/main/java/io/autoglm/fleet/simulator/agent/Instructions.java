package io.autoglm.fleet.simulator.agent;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the simulated model reads an instruction into a {@link Goal}: a message to send, something to buy
 * or search for in the shop, a switch in Settings, the Android version, the home screen, an app to open;
 * in English and in the usual Chinese forms. Anything else is {@link Goal.Unknown}.
 */
final class Instructions {

    private static final Pattern SEND_EN = Pattern.compile("(?i)\\b(?:send|text|message)\\s+(?:an?\\s+(?:message|text|sms)\\s+)?(?:to\\s+)?"
            + "(?<who>\\p{L}+)(?:\\s+an?\\s+(?:message|text|sms))?\\s*(?:saying|that says|with the text|:)\\s*(?<what>.+)$");
    private static final Pattern SEND_ZH = Pattern.compile("给(?<who>\\p{L}+?)发(?:一条|个)?(?:消息|信息|短信)[，,]?\\s*(?:说|内容是|：|:)?\\s*(?<what>.+)$");
    private static final Pattern BUY_EN = Pattern.compile("(?i)\\b(?:buy|order|purchase)\\s+(?:a pair of\\s+|an?\\s+|some\\s+|the\\s+)?(?<what>.+?)"
            + "(?:\\s+(?:in|on|from|at)\\s+(?:the\\s+)?shop(?:ping app)?)?[.!]?$");
    private static final Pattern BUY_ZH = Pattern.compile("(?:购买|买)(?:一个|一双|一件)?(?<what>.+?)[。！]?$");
    private static final Pattern SEARCH_EN = Pattern.compile("(?i)\\b(?:search|look|find)\\s+(?:in\\s+)?(?:the\\s+shop\\s+)?(?:for\\s+)?(?<what>.+?)"
            + "(?:\\s+(?:in|on|at)\\s+(?:the\\s+)?shop(?:ping app)?)?[.!]?$");
    private static final Pattern SEARCH_ZH = Pattern.compile("(?:在(?:商城|购物)(?:里|中)?)?搜索(?<what>.+?)[。！]?$");
    private static final Pattern SHOP = Pattern.compile("shop|商城|购物");
    private static final Pattern OFF = Pattern.compile("\\boff\\b|disable|deactivate|关闭|关掉");
    private static final Pattern ABOUT = Pattern.compile("android version|about phone|关于手机|系统版本|安卓版本");
    private static final Pattern GO_HOME = Pattern.compile("\\bgo (?:back )?(?:to )?(?:the )?home\\b|home screen|回到桌面|返回桌面|回到主屏幕");
    private static final Pattern OPEN = Pattern.compile("(?i)(?:open|launch|start|打开|启动)\\s*(?:the\\s+)?(?<app>[\\p{L}-]+)");

    private Instructions() {
    }

    static Goal read(String instruction) {
        String text = instruction.strip();
        String lower = text.toLowerCase(Locale.ROOT);
        Matcher message = first(text, SEND_EN, SEND_ZH);
        if (message != null) {
            return new Goal.SendMessage(message.group("who"), unquote(message.group("what")));
        }
        Matcher buy = first(text, BUY_EN, BUY_ZH);
        if (buy != null) {
            return new Goal.Buy(unquote(buy.group("what")));
        }
        Matcher search = first(text, SEARCH_EN, SEARCH_ZH);
        if (search != null && SHOP.matcher(lower).find()) {
            return new Goal.Search(unquote(search.group("what")));
        }
        for (Goal.Switch known : Goal.Switch.KNOWN) {
            if (known.words().matcher(lower).find()) {
                return known.turned(!OFF.matcher(lower).find());
            }
        }
        if (ABOUT.matcher(lower).find()) {
            return new Goal.AboutPhone();
        }
        if (search != null) {
            return new Goal.Search(unquote(search.group("what")));
        }
        if (GO_HOME.matcher(lower).find()) {
            return new Goal.GoHome();
        }
        Matcher open = OPEN.matcher(text);
        if (open.find()) {
            return new Goal.OpenApp(appNamed(open.group("app")));
        }
        return new Goal.Unknown(text);
    }

    /** The first way {@code text} matches, or null. */
    private static Matcher first(String text, Pattern... patterns) {
        for (Pattern pattern : patterns) {
            Matcher matcher = pattern.matcher(text);
            if (matcher.find()) {
                return matcher;
            }
        }
        return null;
    }

    private static String unquote(String text) {
        return text.strip().replaceAll("^[\"'“‘「]+|[\"'”’」.。!！]+$", "").strip();
    }

    private static String appNamed(String said) {
        String name = said.toLowerCase(Locale.ROOT);
        if (name.startsWith("setting") || name.startsWith("设置")) {
            return Goal.SETTINGS;
        }
        if (name.startsWith("message") || name.startsWith("sms") || name.startsWith("信息") || name.startsWith("短信")) {
            return Goal.MESSAGES;
        }
        if (name.startsWith("shop") || name.startsWith("商城") || name.startsWith("购物")) {
            return Goal.SHOP;
        }
        return said;
    }
}
