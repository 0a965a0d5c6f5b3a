package io.autoglm.fleet.state.testing;

import io.autoglm.fleet.state.StateTable;
import io.autoglm.fleet.state.StateTopic;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * A {@link StateTopic} in memory, for the functions' broker-free tests: writes are applied and
 * announced to listeners at once, as if the log echoed them instantly.
 */
public final class InMemoryStateTopic<V> implements StateTopic<V> {

    private final Map<String, Table<V>> tables = new ConcurrentHashMap<>();

    @Override
    public CompletableFuture<StateTable<V>> table(String tenant) {
        return CompletableFuture.completedFuture(tableOf(tenant));
    }

    /** The tenant's table, for tests that arrange or inspect state directly. */
    public Table<V> tableOf(String tenant) {
        return tables.computeIfAbsent(tenant, Table::new);
    }

    /** Forgets every tenant's state. */
    public void clear() {
        tables.clear();
    }

    @Override
    public void close() {
    }

    /** One tenant's table. */
    public static final class Table<V> implements StateTable<V> {
        private final String tenant;
        private final Map<String, V> values = new ConcurrentHashMap<>();
        private final List<BiConsumer<String, V>> listeners = new CopyOnWriteArrayList<>();

        Table(String tenant) {
            this.tenant = tenant;
        }

        @Override
        public String tenant() {
            return tenant;
        }

        @Override
        public Optional<V> get(String key) {
            return Optional.ofNullable(values.get(key));
        }

        @Override
        public CompletableFuture<Optional<V>> getLatest(String key) {
            return CompletableFuture.completedFuture(get(key));
        }

        @Override
        public void forEach(BiConsumer<String, V> action) {
            values.forEach(action);
        }

        @Override
        public synchronized void forEachAndListen(BiConsumer<String, V> listener) {
            values.forEach(listener);
            listeners.add(listener);
        }

        @Override
        public int size() {
            return values.size();
        }

        @Override
        public synchronized CompletableFuture<Void> put(String key, V value) {
            values.put(key, value);
            listeners.forEach(listener -> listener.accept(key, value));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public synchronized CompletableFuture<Void> remove(String key) {
            values.remove(key);
            listeners.forEach(listener -> listener.accept(key, null));
            return CompletableFuture.completedFuture(null);
        }

        /** A snapshot of every value, for assertions. */
        public Map<String, V> snapshot() {
            return Map.copyOf(values);
        }
    }
}
