package io.autoglm.fleet.modelstore;

import com.fasterxml.jackson.annotation.JsonInclude;

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
 * promotion without anyone remembering the old number; and, for an alias whose traffic is split, the
 * share of its requests that go to another version (a canary). Immutable; changes return a new table.
 */
public record AliasTable(Map<String, Integer> aliases, Map<String, List<Integer>> history, Instant updatedAt,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Split> splits) {

    /**
     * {@code percent} of an alias's requests go to {@code version} instead of the alias's own; which
     * requests is decided by their key (an agent task's session, else the request id), so that the
     * steps of one task stay on one version.
     */
    public record Split(int version, int percent) {
        public Split {
            ModelRef.checkVersion(version);
            if (percent < 1 || percent > 99) {
                throw new IllegalArgumentException("a split sends 1-99 percent of an alias's requests to another version, got " + percent);
            }
        }
    }

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
        splits = splits == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(splits));
        for (Map.Entry<String, Split> split : splits.entrySet()) {
            if (!aliases.containsKey(split.getKey())) {
                throw new IllegalArgumentException("a split of alias '" + split.getKey() + "', which points at no version");
            }
        }
    }

    public AliasTable(Map<String, Integer> aliases, Map<String, List<Integer>> history, Instant updatedAt) {
        this(aliases, history, updatedAt, Map.of());
    }

    public static AliasTable empty() {
        return new AliasTable(Map.of(), Map.of(), null);
    }

    /** The split of {@code alias}'s requests, if it has one. */
    public Optional<Split> split(String alias) {
        return Optional.ofNullable(splits.get(alias));
    }

    /** The table with {@code percent} of {@code alias}'s requests going to {@code version}. */
    public AliasTable withSplit(String alias, int version, int percent, Instant at) {
        Integer main = aliases.get(alias);
        if (main == null) {
            throw new IllegalArgumentException("alias '" + alias + "' points at no version: promote one before splitting its traffic");
        }
        if (main == version) {
            throw new IllegalArgumentException("alias '" + alias + "' already points at " + version + ": split its traffic to another version");
        }
        Map<String, Split> newSplits = new LinkedHashMap<>(splits);
        newSplits.put(alias, new Split(version, percent));
        return new AliasTable(aliases, history, at, newSplits);
    }

    /** The table with all of {@code alias}'s requests going to its own version again. */
    public AliasTable withoutSplit(String alias, Instant at) {
        return new AliasTable(aliases, history, at, unsplit(alias));
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
        return new AliasTable(newAliases, newHistory, at, unsplit(alias));
    }

    /** The splits without {@code alias}'s: moving an alias ends its split (a promoted canary takes all the traffic). */
    private Map<String, Split> unsplit(String alias) {
        Map<String, Split> newSplits = new LinkedHashMap<>(splits);
        newSplits.remove(alias);
        return newSplits;
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
                return Optional.of(new AliasTable(newAliases, newHistory, at, unsplit(alias)));
            }
        }
        return Optional.empty();
    }

    /** The versions some alias points at: never garbage-collected. */
    public java.util.Set<Integer> targets() {
        java.util.Set<Integer> targets = new java.util.TreeSet<>(aliases.values());
        splits.values().forEach(split -> targets.add(split.version()));
        return targets;
    }
}
