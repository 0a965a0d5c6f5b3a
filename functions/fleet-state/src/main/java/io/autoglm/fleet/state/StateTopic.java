package io.autoglm.fleet.state;

import java.util.concurrent.CompletableFuture;

/**
 * A kind of control-plane state kept per tenant (one compacted topic each), opened on a tenant's first
 * use. The future completes once the table has read everything that was in the log when it opened.
 *
 * @param <V> the value type
 */
public interface StateTopic<V> extends AutoCloseable {

    CompletableFuture<StateTable<V>> table(String tenant);

    /** Closes every table opened so far. */
    @Override
    void close();
}
