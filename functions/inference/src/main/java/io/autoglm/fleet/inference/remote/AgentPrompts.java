package io.autoglm.fleet.inference.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.Map;

/**
 * The system prompts AutoGLM's phone models are trained with (Open-AutoGLM's, Apache-2.0; see
 * {@code prompts/NOTICE}), in Chinese and English, with today's date written as Open-AutoGLM writes it.
 */
final class AgentPrompts {

    private static final String[] WEEKDAYS_ZH = {"星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"};
    private static final Map<String, String> TEMPLATES = Map.of("zh", read("zh"), "en", read("en"));

    private AgentPrompts() {
    }

    /** The system prompt in {@code language} ({@code zh} or {@code en}) for {@code today}. */
    static String system(String language, LocalDate today) {
        String template = TEMPLATES.get(language);
        if (template == null) {
            throw new IllegalArgumentException("no system prompt in '" + language + "'; there are " + TEMPLATES.keySet());
        }
        return template.replace("{date}", date(language, today));
    }

    /** {@code 2026年12月03日 星期四} or {@code 2026-12-03, Thursday}. */
    static String date(String language, LocalDate today) {
        if (language.equals("zh")) {
            return String.format("%04d年%02d月%02d日 %s", today.getYear(), today.getMonthValue(), today.getDayOfMonth(),
                    WEEKDAYS_ZH[today.getDayOfWeek().getValue() - 1]);
        }
        return today + ", " + today.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
    }

    private static String read(String language) {
        String resource = "/prompts/agent-system-" + language + ".txt";
        try (InputStream in = AgentPrompts.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
