package io.autoglm.fleet.state;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * One tenant's slice of a piece of control-plane state (the registry, the liveness of devices): the
 * latest value per key, as a compacted topic holds it. Reads are local and cheap; writes go to the log
 * and are visible to {@link #get} of the same table at once (read-your-writes), before the log echoes them.
 *
 * @param <V> the value, an immutable record of the event contract
 */
public interface StateTable<V> {

    String tenant();

    /** The latest value this table has for {@code key}, its own writes included. */
    Optional<V> get(String key);

    /**
     * The value once the table has caught up with everything written to the log so far, for a miss
     * that another process may have just written (a heartbeat right after its registration).
     */
    CompletableFuture<Optional<V>> getLatest(String key);

    /** Calls {@code action} for every key present now. */
    void forEach(BiConsumer<String, V> action);

    /**
     * Calls {@code listener} for every key present now, then for every later change as the log delivers
     * it; a {@code null} value means the key was removed (a tombstone).
     */
    void forEachAndListen(BiConsumer<String, V> listener);

    int size();

    /** Writes {@code value} for {@code key}; completes when the log has it. */
    CompletableFuture<Void> put(String key, V value);

    /** Writes a tombstone for {@code key}; completes when the log has it. */
    CompletableFuture<Void> remove(String key);
}
