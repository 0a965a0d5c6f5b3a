package io.autoglm.fleet.inference.serving;

import io.autoglm.fleet.events.inference.InferenceCompleted;
import io.autoglm.fleet.events.inference.InferenceRequested;
import io.autoglm.fleet.inference.InferenceFailure;
import io.autoglm.fleet.modelstore.AliasTable;
import io.autoglm.fleet.modelstore.ModelRef;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The models this function serves, one slot per configured reference ({@code name@stable}), and hot
 * swap between versions: a new version is loaded and warmed beside the one serving, then takes over
 * in one atomic switch while the old one finishes its queue; if the new one fails to load (bad
 * checksum, broken model) the old one keeps serving and the failure is reported. Requests that reach
 * a version just as it steps down are sent on to its successor, so a swap under load fails none.
 */
public final class ServedModels implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ServedModels.class.getName());
    /** How often one request may follow a swap before giving up (only a burst of swaps could need more). */
    private static final int MAX_HOPS = 4;

    /** Where the versions a reference names come from (the model store). */
    @FunctionalInterface
    public interface Versions {
        int resolve(ModelRef ref);

        /** The share of the reference's requests that go to another version (a canary), if any. */
        default Optional<AliasTable.Split> split(ModelRef ref) {
            return Optional.empty();
        }
    }

    /** A version taking {@code percent} of a slot's requests. */
    private record Canary(ServingVersion version, int percent) {
    }

    @FunctionalInterface
    public interface Loader {
        ServingVersion load(String name, int version);
    }

    /**
     * A slot's state, for readiness and operators; {@code down} says why a loaded version cannot serve now;
     * {@code canary} the version taking a share of its requests and the share ({@code "4 (10%)"}), or null.
     */
    public record Status(ModelRef ref, Integer version, String engine, int queued, String lastFailure, String down, String canary) {
        public boolean ready() {
            return version != null && down == null;
        }
    }

    /** What a refresh or swap did. */
    public record SwapOutcome(String model, Integer from, Integer to, Result result, String message) {
        public enum Result { UNCHANGED, LOADED, SWAPPED, FAILED }
    }

    private static final class Slot {
        final ModelRef ref;
        final AtomicReference<ServingVersion> current = new AtomicReference<>();
        final AtomicReference<Canary> canary = new AtomicReference<>();
        final CompletableFuture<Void> firstLoad = new CompletableFuture<>();
        final Object swapping = new Object();
        volatile String lastFailure;

        Slot(ModelRef ref) {
            this.ref = ref;
        }
    }

    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private final Versions versions;
    private final Loader loader;
    private final InferenceObserver observer;
    private final Duration coldStartWait;

    /**
     * @param coldStartWait how long a request that arrives before the first version is ready waits for it
     */
    public ServedModels(List<ModelRef> refs, Versions versions, Loader loader, InferenceObserver observer, Duration coldStartWait) {
        for (ModelRef ref : refs) {
            if (slots.putIfAbsent(ref.name(), new Slot(ref)) != null) {
                throw new IllegalArgumentException("model " + ref.name() + " is configured twice; serve one reference per model");
            }
        }
        if (slots.isEmpty()) {
            throw new IllegalArgumentException("no model to serve");
        }
        this.versions = Objects.requireNonNull(versions, "versions");
        this.loader = Objects.requireNonNull(loader, "loader");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.coldStartWait = Objects.requireNonNull(coldStartWait, "coldStartWait");
    }

    public List<ModelRef> refs() {
        return slots.values().stream().map(s -> s.ref).toList();
    }

    /** Brings every slot to the version its reference names now (loads at start, swaps later). */
    public List<SwapOutcome> refreshAll() {
        List<SwapOutcome> outcomes = new ArrayList<>();
        slots.keySet().forEach(name -> outcomes.add(refresh(name)));
        return outcomes;
    }

    /** Brings one model's slot to the version its reference names now; unknown names are ignored. */
    public SwapOutcome refresh(String model) {
        Slot slot = slots.get(model);
        if (slot == null) {
            return new SwapOutcome(model, null, null, SwapOutcome.Result.UNCHANGED, model + " is not served here");
        }
        int target;
        Optional<AliasTable.Split> split;
        try {
            target = versions.resolve(slot.ref);
            split = slot.ref.pinned() ? Optional.empty() : versions.split(slot.ref);
        } catch (RuntimeException e) {
            return failed(slot, null, "cannot resolve " + slot.ref + ": " + e.getMessage());
        }
        SwapOutcome outcome = swapTo(model, target);
        if (outcome.result() != SwapOutcome.Result.FAILED) {
            split(slot, split);
        }
        return outcome;
    }

    /** Loads, re-weighs or ends the slot's canary as {@code split} says; a canary that cannot be loaded is no canary. */
    private void split(Slot slot, Optional<AliasTable.Split> split) {
        synchronized (slot.swapping) {
            Canary old = slot.canary.get();
            if (split.isEmpty()) {
                if (old != null) {
                    slot.canary.set(null);
                    old.version().drain();
                    LOG.info(() -> slot.ref + " takes all its requests again; " + old.version() + " drains");
                }
                return;
            }
            int version = split.get().version();
            int percent = split.get().percent();
            if (old != null && old.version().version() == version) {
                slot.canary.set(new Canary(old.version(), percent));
                return;
            }
            ServingVersion fresh;
            try {
                fresh = loader.load(slot.ref.name(), version);
            } catch (RuntimeException e) {
                LOG.warning(slot.ref.name() + "@" + version + " (" + percent + "% of " + slot.ref + ") failed to load: " + e.getMessage()
                        + "; " + slot.ref + " takes all its requests");
                return;
            }
            slot.canary.set(new Canary(fresh, percent));
            if (old != null) {
                old.version().drain();
            }
            LOG.info(() -> fresh + " takes " + percent + "% of " + slot.ref + "'s requests");
        }
    }

    /**
     * The canary's share, decided by the request's key (its agent task's session, else its id) so that
     * every step of one task goes to one version: a bucket 0-99 from the key's hash.
     */
    static int bucket(InferenceRequested request) {
        String key = request.agent() != null ? request.agent().sessionId() : request.requestId();
        int hash = key.hashCode();
        hash ^= hash >>> 16;
        hash *= 0x85ebca6b;
        hash ^= hash >>> 13;
        hash *= 0xc2b2ae35;
        hash ^= hash >>> 16;
        return Math.floorMod(hash, 100);
    }

    /**
     * Loads {@code version} beside the one serving and switches to it; keeps the old one when the new
     * one cannot be loaded.
     */
    public SwapOutcome swapTo(String model, int version) {
        Slot slot = slots.get(model);
        if (slot == null) {
            throw new IllegalArgumentException(model + " is not served here");
        }
        synchronized (slot.swapping) {
            ServingVersion old = slot.current.get();
            Integer from = old == null ? null : old.version();
            if (from != null && from == version) {
                return new SwapOutcome(model, from, version, SwapOutcome.Result.UNCHANGED, model + "@" + version + " is already serving");
            }
            ServingVersion fresh;
            try {
                fresh = loader.load(model, version);
            } catch (RuntimeException e) {
                return failed(slot, version, model + "@" + version + " failed to load: " + e.getMessage());
            }
            slot.current.set(fresh);
            slot.lastFailure = null;
            slot.firstLoad.complete(null);
            observer.swapped(model, from, version, null);
            if (old == null) {
                LOG.info(() -> fresh + " is serving");
                return new SwapOutcome(model, null, version, SwapOutcome.Result.LOADED, fresh + " is serving");
            }
            long start = System.nanoTime();
            old.drain().whenComplete((ignored, error) -> LOG.info(() -> String.format("%s drained in %.0f ms after %s took over",
                    old, (System.nanoTime() - start) / 1e6, fresh)));
            LOG.info(() -> fresh + " took over from " + old);
            return new SwapOutcome(model, from, version, SwapOutcome.Result.SWAPPED, fresh + " took over from " + old);
        }
    }

    private SwapOutcome failed(Slot slot, Integer version, String message) {
        ServingVersion serving = slot.current.get();
        String full = serving == null ? message + "; nothing is serving " + slot.ref.name() : message + "; " + serving + " keeps serving";
        slot.lastFailure = full;
        LOG.warning(full);
        observer.swapped(slot.ref.name(), serving == null ? null : serving.version(), version == null ? -1 : version, full);
        return new SwapOutcome(slot.ref.name(), serving == null ? null : serving.version(), version, SwapOutcome.Result.FAILED, full);
    }

    /** Every slot's state. */
    public List<Status> status() {
        return slots.values().stream().map(s -> {
            ServingVersion v = s.current.get();
            return new Status(s.ref, v == null ? null : v.version(), v == null ? null : v.engine(),
                    v == null ? 0 : v.queued(), s.lastFailure, v == null ? null : v.problem(),
                    s.canary.get() == null ? null : s.canary.get().version().version() + " (" + s.canary.get().percent() + "%)");
        }).toList();
    }

    /** Whether every configured model has a version loaded and warm. */
    public boolean ready() {
        return slots.values().stream().allMatch(s -> s.current.get() != null && s.current.get().problem() == null);
    }

    /**
     * Routes a request to the version serving the model it names and answers it; the future fails
     * with an {@link InferenceFailure}.
     */
    public CompletableFuture<InferenceCompleted> infer(InferenceRequested request) {
        ModelRef ref;
        try {
            ref = ModelRef.parse(request.model());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(InferenceFailure.badRequest("data.model", "data.model: " + e.getMessage()));
        }
        Slot slot = slots.get(ref.name());
        if (slot == null) {
            return CompletableFuture.failedFuture(InferenceFailure.unknownModel("model '" + ref.name() + "' is not served here; this function serves "
                    + slots.values().stream().map(s -> s.ref.toString()).collect(Collectors.joining(", "))));
        }
        return infer(request, ref, slot, 0);
    }

    private CompletableFuture<InferenceCompleted> infer(InferenceRequested request, ModelRef ref, Slot slot, int hops) {
        Canary canary = slot.canary.get();
        boolean toCanary = canary != null && !ref.pinned() && ref.alias().equals(slot.ref.alias()) && bucket(request) < canary.percent();
        ServingVersion version = toCanary ? canary.version() : slot.current.get();
        if (version == null) {
            if (slot.firstLoad.isDone() || hops > 0) {
                return CompletableFuture.failedFuture(InferenceFailure.notReady(slot.ref + " is not loaded: " + slot.lastFailure));
            }
            // a request that woke the function from zero waits for the model instead of bouncing
            return slot.firstLoad.copy().orTimeout(coldStartWait.toMillis(), TimeUnit.MILLISECONDS)
                    .handle((ok, error) -> error)
                    .thenCompose(error -> error == null ? infer(request, ref, slot, hops + 1) : CompletableFuture.failedFuture(
                            InferenceFailure.notReady(slot.ref + " is still loading" + (slot.lastFailure == null ? "" : ": " + slot.lastFailure)
                                    + "; retry shortly")));
        }
        if (ref.pinned() ? ref.version() != version.version() : !ref.alias().equals(slot.ref.alias())) {
            return CompletableFuture.failedFuture(InferenceFailure.unknownModel(ref + " is not served here; this function serves "
                    + slot.ref + ", now version " + version.version()));
        }
        observer.routed(slot.ref.name(), version.version(), toCanary);
        CompletableFuture<InferenceCompleted> answer;
        try {
            answer = version.infer(request);
        } catch (InferenceFailure failure) {
            answer = CompletableFuture.failedFuture(failure);
        }
        return answer.exceptionallyCompose(error -> {
            InferenceFailure failure = InferenceFailure.of(error);
            if (failure.superseded() && hops < MAX_HOPS && slot.current.get() != version
                    && (slot.canary.get() == null || slot.canary.get().version() != version)) {
                return infer(request, ref, slot, hops + 1);
            }
            return CompletableFuture.failedFuture(failure);
        });
    }

    @Override
    public void close() {
        slots.values().forEach(slot -> {
            ServingVersion v = slot.current.getAndSet(null);
            if (v != null) {
                v.close();
            }
            Canary canary = slot.canary.getAndSet(null);
            if (canary != null) {
                canary.version().close();
            }
        });
    }
}
