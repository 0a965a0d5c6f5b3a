package io.autoglm.fleet.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What a function opens once per tenant, on the tenant's first use (its tables read, its indexes built): every later use
 * gets the same opening, and one that failed is forgotten, so that the next use tries again.
 *
 * @param <T> what is opened
 */
public final class PerTenant<T> {

    private final Function<String, CompletableFuture<T>> open;
    private final Map<String, CompletableFuture<T>> openings = new ConcurrentHashMap<>();

    public PerTenant(Function<String, CompletableFuture<T>> open) {
        this.open = Objects.requireNonNull(open, "open");
    }

    /** The tenant's, opened now when it is its first use (or the last opening failed). */
    public CompletableFuture<T> of(String tenant) {
        Objects.requireNonNull(tenant, "tenant");
        CompletableFuture<T> opened = openings.get(tenant);
        if (opened == null) {
            opened = openings.computeIfAbsent(tenant, open);
        }
        if (opened.isCompletedExceptionally()) {
            openings.remove(tenant, opened);
        }
        return opened;
    }

    /** Those opened so far, and those still opening. */
    public List<CompletableFuture<T>> openings() {
        return new ArrayList<>(openings.values());
    }

    /** Forgets every opening (a closing function). */
    public void clear() {
        openings.clear();
    }
}
