package io.autoglm.fleet.deviceagent.backend;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * App names as the agent model writes them ({@code "微信"}, {@code "Settings"}) mapped to what the OS
 * launches (an Android package, a HarmonyOS bundle), in a fixed order: the current-app lookup returns the
 * first name whose package matches, as Open-AutoGLM's does. The tables are resources derived from
 * Open-AutoGLM's (see NOTICE).
 */
public final class AppTable {

    private final Map<String, String> entries;

    public AppTable(Map<String, String> entries) {
        this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    /** Open-AutoGLM's Android app names -> packages. */
    public static AppTable android() {
        return load("android-apps.tsv");
    }

    /** Open-AutoGLM's HarmonyOS app names -> bundles. */
    public static AppTable harmonyOs() {
        return load("harmonyos-apps.tsv");
    }

    /** The HarmonyOS bundles whose main ability is not {@code EntryAbility}, bundle -> ability. */
    public static AppTable harmonyOsAbilities() {
        return load("harmonyos-abilities.tsv");
    }

    /** Reads a tab-separated resource beside this class: {@code key<TAB>value} rows, {@code #} comments. */
    static AppTable load(String resource) {
        Map<String, String> entries = new LinkedHashMap<>();
        try (InputStream in = Objects.requireNonNull(AppTable.class.getResourceAsStream(resource), resource);
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int tab = line.indexOf('\t');
                if (tab <= 0) {
                    throw new IllegalStateException(resource + ": not a 'name<TAB>value' row: " + line);
                }
                entries.putIfAbsent(line.substring(0, tab), line.substring(tab + 1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new AppTable(entries);
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    /** name -> value, in table order. */
    public Map<String, String> entries() {
        return entries;
    }
}
