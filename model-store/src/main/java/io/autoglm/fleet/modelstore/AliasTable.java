package io.autoglm.fleet.modelstore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A model's {@code aliases.json}: which version each alias ({@code stable}, {@code canary}, ...) points
 * at, and for each alias the versions it pointed at before (oldest first), so a rollback can undo a
 * promotion without anyone remembering the old number. Immutable; changes return a new table.
 */
public record AliasTable(Map<String, Integer> aliases, Map<String, List<Integer>> history, Instant updatedAt) {

    /** How many earlier targets an alias remembers. */
    public static final int HISTORY_LIMIT = 20;

    public static final String FILE_NAME = "aliases.json";

    public AliasTable {
        aliases = aliases == null ? Map.of() : new TreeMap<>(aliases);
        Map<String, List<Integer>> copy = new TreeMap<>();
        if (history != null) {
            history.forEach((alias, versions) -> copy.put(alias, List.copyOf(versions)));
        }
        history = copy;
        aliases.forEach((alias, version) -> {
            ModelRef.checkAlias(alias);
            ModelRef.checkVersion(version);
        });
        aliases = java.util.Collections.unmodifiableMap(aliases);
        history = java.util.Collections.unmodifiableMap(history);
    }

    public static AliasTable empty() {
        return new AliasTable(Map.of(), Map.of(), null);
    }

    public Optional<Integer> version(String alias) {
        return Optional.ofNullable(aliases.get(alias));
    }

    /** The table with {@code alias} moved to {@code version}; the old target goes on the alias's history. */
    public AliasTable promote(String alias, int version, Instant at) {
        ModelRef.checkAlias(alias);
        ModelRef.checkVersion(version);
        Map<String, Integer> newAliases = new LinkedHashMap<>(aliases);
        Integer previous = newAliases.put(alias, version);
        Map<String, List<Integer>> newHistory = new LinkedHashMap<>(history);
        if (previous != null && previous != version) {
            List<Integer> past = new ArrayList<>(history.getOrDefault(alias, List.of()));
            past.add(previous);
            if (past.size() > HISTORY_LIMIT) {
                past = past.subList(past.size() - HISTORY_LIMIT, past.size());
            }
            newHistory.put(alias, past);
        }
        return new AliasTable(newAliases, newHistory, at);
    }

    /**
     * The table with {@code alias} moved back to the newest earlier target that is still in
     * {@code published}; empty when there is none to go back to.
     */
    public Optional<AliasTable> rollback(String alias, List<Integer> published, Instant at) {
        Integer current = aliases.get(alias);
        if (current == null) {
            return Optional.empty();
        }
        List<Integer> past = new ArrayList<>(history.getOrDefault(alias, List.of()));
        while (!past.isEmpty()) {
            int candidate = past.remove(past.size() - 1);
            if (candidate != current && published.contains(candidate)) {
                Map<String, Integer> newAliases = new LinkedHashMap<>(aliases);
                newAliases.put(alias, candidate);
                Map<String, List<Integer>> newHistory = new LinkedHashMap<>(history);
                newHistory.put(alias, past);
                return Optional.of(new AliasTable(newAliases, newHistory, at));
            }
        }
        return Optional.empty();
    }

    /** The versions some alias points at: never garbage-collected. */
    public java.util.Set<Integer> targets() {
        return new java.util.TreeSet<>(aliases.values());
    }
}
