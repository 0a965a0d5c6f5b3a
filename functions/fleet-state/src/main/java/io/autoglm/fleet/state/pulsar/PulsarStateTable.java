package io.autoglm.fleet.state.pulsar;

import io.autoglm.fleet.state.StateTable;
import org.apache.pulsar.client.api.Producer;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * One tenant's compacted topic as a {@link StateTable}. The {@link CompactedTopicView} is the truth; writes of
 * this process also sit in a small overlay until the view echoes an equal value (or the tombstone), so
 * that a write is readable at once, as the registry needs for idempotent re-registration.
 */
final class PulsarStateTable<V> implements StateTable<V> {

    /** Overlay marker of a key this process has removed and the view has not yet dropped. */
    private static final Object REMOVED = new Object();

    private final String tenant;
    private final CompactedTopicView<V> view;
    private final Supplier<CompletableFuture<Producer<V>>> producerFactory;
    private final Map<String, Object> overlay = new ConcurrentHashMap<>();
    private volatile CompletableFuture<Producer<V>> producer;

    /**
     * @param producer the producer already being created (by a process that writes this table), or null to create one
     *                 on the first write
     */
    PulsarStateTable(String tenant, CompactedTopicView<V> view, Supplier<CompletableFuture<Producer<V>>> producerFactory,
                     CompletableFuture<Producer<V>> producer) {
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.view = Objects.requireNonNull(view, "view");
        this.producerFactory = Objects.requireNonNull(producerFactory, "producerFactory");
        this.producer = producer;
        view.listen(this::settle);
    }

    @Override
    public String tenant() {
        return tenant;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Optional<V> get(String key) {
        if (!overlay.isEmpty()) {
            Object written = overlay.get(key);
            if (written != null) {
                return written == REMOVED ? Optional.empty() : Optional.of((V) written);
            }
        }
        return Optional.ofNullable(view.get(key));
    }

    @Override
    public CompletableFuture<Optional<V>> getLatest(String key) {
        return view.refreshAsync().thenApply(caughtUp -> get(key));
    }

    @Override
    public void forEach(BiConsumer<String, V> action) {
        view.forEach(action);
    }

    @Override
    public void forEachAndListen(BiConsumer<String, V> listener) {
        view.forEachAndListen(listener);
    }

    @Override
    public int size() {
        return view.size();
    }

    @Override
    public CompletableFuture<Void> put(String key, V value) {
        Objects.requireNonNull(value, "value");
        return write(key, value, value);
    }

    @Override
    public CompletableFuture<Void> remove(String key) {
        return write(key, REMOVED, null);
    }

    private CompletableFuture<Void> write(String key, Object marker, V value) {
        Objects.requireNonNull(key, "key");
        overlay.put(key, marker);
        return producer().thenCompose(p -> p.newMessage().key(key).value(value).sendAsync())
                .handle((id, failure) -> {
                    if (failure != null) {
                        overlay.remove(key, marker);
                        throw failure instanceof RuntimeException ? (RuntimeException) failure : new IllegalStateException(failure);
                    }
                    return null;
                });
    }

    private CompletableFuture<Producer<V>> producer() {
        CompletableFuture<Producer<V>> current = producer;
        if (current == null || current.isCompletedExceptionally()) {
            synchronized (this) {
                current = producer;
                if (current == null || current.isCompletedExceptionally()) {
                    current = producerFactory.get();
                    producer = current;
                }
            }
        }
        return current;
    }

    /** The view delivered {@code value} for {@code key}: an overlay entry it matches is no longer needed. */
    private void settle(String key, V value) {
        overlay.computeIfPresent(key, (k, written) -> written == REMOVED ? (value == null ? null : written)
                : (written.equals(value) ? null : written));
    }

    CompletableFuture<Void> closeAsync() {
        CompletableFuture<Producer<V>> current = producer;
        CompletableFuture<Void> producerClosed = current == null ? CompletableFuture.completedFuture(null)
                : current.thenCompose(Producer::closeAsync).exceptionally(e -> null);
        return producerClosed.thenCompose(closed -> view.closeAsync()).exceptionally(e -> null);
    }
}
